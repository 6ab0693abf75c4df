/**
 * The structural check of an uploaded vendor profile (issue 14): everything but the JSON Schemas
 * themselves (compiled by vendor-schema-service.ts). It names the JSON pointer path of the first
 * problem, so an upload error points at the field to fix, and gives back the profile in its
 * canonical form (normalise always a list, defaults filled in). Pure.
 */
import { isPointer, type JsonPointer } from './vendor-pointer.ts';
import {
  PROFILE_ID_PATTERN,
  SEVERITIES,
  commandName,
  type CommandRule,
  type CustomDataMapping,
  type Direction,
  type Encoding,
  type EventCondition,
  type EventRule,
  type InboundRule,
  type MetricRule,
  type ProfileCheck,
  type ProfileMessage,
  type Rule,
  type Severity,
  type StationMatch,
  type TextMatch,
  type VendorProfile,
} from './vendor-profile.ts';

const PROFILE_ID = new RegExp(PROFILE_ID_PATTERN);
const RESERVED_IDS = ['export', 'import'];
/** Metric names and event types: dotted words, stable enough to chart and alert on. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;
const COMMAND_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const PRINTABLE = /^[^\p{Cc}]*$/u;
const MAX_MESSAGES = 100;
const MAX_RULES = 50;
const MAX_REGEX = 200;

class Invalid extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

const fail = (path: string, problem: string): never => {
  throw new Invalid(path, problem);
};
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys the object may have; `description` and `x-…` keys are free everywhere (notes travel with the profile). */
function only(value: Record<string, unknown>, path: string, keys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key) && key !== 'description' && !key.startsWith('x-')) fail(`${path}/${key}`, `unknown field (allowed: ${keys.join(', ')})`);
  }
}

function text(value: unknown, path: string, max: number, pattern?: RegExp): string {
  if (typeof value !== 'string' || value.length === 0) return fail(path, 'must be a non-empty string');
  if (value.length > max) fail(path, `must be at most ${max} characters`);
  if (!PRINTABLE.test(value)) fail(path, 'must not contain control characters');
  if (pattern && !pattern.test(value)) fail(path, `must match ${pattern.source}`);
  return value;
}

function pointer(value: unknown, path: string): JsonPointer {
  if (typeof value !== 'string' || !isPointer(value)) fail(path, 'must be a JSON pointer ("" or "/field/0/sub", ~0 for ~ and ~1 for /)');
  return value as JsonPointer;
}

/**
 * A regular expression a station's boot fields are tested against. Nested quantifiers ("(a+)+")
 * can take exponential time, and a profile is written by a tenant while the matching runs for all:
 * those are refused rather than risked.
 */
function regex(value: unknown, path: string): { regex: string } {
  const source = text(value, path, MAX_REGEX);
  if (/\([^()]*[+*}][^()]*\)[+*{?]/.test(source) || /\\[1-9]/.test(source)) fail(path, 'nested quantifiers and back-references are not allowed');
  try {
    new RegExp(source, 'u');
  } catch (error) {
    fail(path, `is not a valid regular expression: ${(error as Error).message}`);
  }
  return { regex: source };
}

function textMatch(value: unknown, path: string): TextMatch {
  if (typeof value === 'string') return text(value, path, 50);
  if (isObject(value)) {
    only(value, path, ['regex']);
    return regex(value.regex, `${path}/regex`);
  }
  return fail(path, 'must be a string (exact) or { "regex": "..." }');
}

function stationMatch(value: unknown, path: string): StationMatch {
  if (!isObject(value)) return fail(path, 'must be an object with vendor and/or model');
  only(value, path, ['vendor', 'model']);
  const match: StationMatch = {};
  if (value.vendor !== undefined) match.vendor = textMatch(value.vendor, `${path}/vendor`);
  if (value.model !== undefined) match.model = textMatch(value.model, `${path}/model`);
  if (!match.vendor && !match.model) fail(path, 'must name vendor or model');
  return match;
}

function when(value: unknown, path: string): EventCondition {
  if (!isObject(value)) return fail(path, 'must be an object { pointer, equals | in | exists }');
  only(value, path, ['pointer', 'equals', 'in', 'exists']);
  const condition: EventCondition = { pointer: pointer(value.pointer, `${path}/pointer`) };
  const tests = ['equals', 'in', 'exists'].filter((key) => value[key] !== undefined);
  if (tests.length !== 1) fail(path, 'must have exactly one of equals, in, exists');
  if (value.in !== undefined) {
    if (!Array.isArray(value.in) || value.in.length === 0) fail(`${path}/in`, 'must be a non-empty array');
    condition.in = value.in as unknown[];
  }
  if (value.exists !== undefined) {
    if (typeof value.exists !== 'boolean') fail(`${path}/exists`, 'must be true or false');
    condition.exists = value.exists as boolean;
  }
  if (value.equals !== undefined) condition.equals = value.equals;
  return condition;
}

function metricRule(value: Record<string, unknown>, path: string): MetricRule {
  only(value, path, ['kind', 'name', 'value', 'unit', 'map', 'scale', 'at']);
  const rule: MetricRule = { kind: 'metric', name: text(value.name, `${path}/name`, 100, NAME), value: pointer(value.value, `${path}/value`) };
  if (value.unit !== undefined) rule.unit = text(value.unit, `${path}/unit`, 20);
  if (value.scale !== undefined) {
    if (typeof value.scale !== 'number' || !Number.isFinite(value.scale)) fail(`${path}/scale`, 'must be a finite number');
    rule.scale = value.scale as number;
  }
  if (value.map !== undefined) {
    if (!isObject(value.map)) fail(`${path}/map`, 'must be an object of string -> number');
    for (const [key, mapped] of Object.entries(value.map as Record<string, unknown>)) {
      if (typeof mapped !== 'number' || !Number.isFinite(mapped)) fail(`${path}/map/${key}`, 'must be a finite number');
    }
    rule.map = value.map as Record<string, number>;
  }
  if (value.at !== undefined) rule.at = pointer(value.at, `${path}/at`);
  return rule;
}

function eventRule(value: Record<string, unknown>, path: string): EventRule {
  only(value, path, ['kind', 'type', 'severity', 'problem', 'when', 'detail', 'at']);
  const rule: EventRule = { kind: 'event', type: text(value.type, `${path}/type`, 100, NAME), severity: 'info' };
  if (!SEVERITIES.includes(value.severity as Severity)) fail(`${path}/severity`, `must be one of ${SEVERITIES.join(', ')}`);
  rule.severity = value.severity as Severity;
  if (value.problem !== undefined) {
    if (typeof value.problem !== 'boolean') fail(`${path}/problem`, 'must be true or false');
    rule.problem = value.problem as boolean;
  }
  if (value.when !== undefined) rule.when = when(value.when, `${path}/when`);
  if (value.detail !== undefined) rule.detail = pointer(value.detail, `${path}/detail`);
  if (value.at !== undefined) rule.at = pointer(value.at, `${path}/at`);
  return rule;
}

function commandRule(value: Record<string, unknown>, path: string): CommandRule {
  only(value, path, ['kind', 'command', 'parameters', 'data']);
  const rule: CommandRule = { kind: 'command' };
  if (value.command !== undefined) rule.command = text(value.command, `${path}/command`, 64, COMMAND_NAME);
  if (value.parameters !== undefined) {
    if (!isObject(value.parameters)) fail(`${path}/parameters`, 'must be a JSON Schema object');
    rule.parameters = value.parameters as Record<string, unknown>;
  }
  if (value.data !== undefined) rule.data = value.data;
  return rule;
}

const rulePaths = (value: unknown, path: string): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map((_item, index) => `${path}/${index}`) : [path]);

function rules(value: unknown, path: string, direction: Direction | 'customData'): Rule[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_RULES) fail(path, `must have at most ${MAX_RULES} rules`);
  return list.map((item, index) => {
    const at = Array.isArray(value) ? `${path}/${index}` : path;
    if (!isObject(item)) return fail(at, 'must be an object with kind metric, event or command');
    if (direction === 'outbound') {
      if (item.kind !== 'command') fail(`${at}/kind`, 'an outbound message normalises to kind "command"');
      return commandRule(item, at);
    }
    if (item.kind === 'metric') return metricRule(item, at);
    if (item.kind === 'event') return eventRule(item, at);
    return fail(`${at}/kind`, 'an inbound message normalises to kind "metric" or "event"');
  });
}

function message(value: unknown, path: string): ProfileMessage {
  if (!isObject(value)) return fail(path, 'must be an object');
  only(value, path, ['messageId', 'direction', 'encoding', 'schema', 'normalise']);
  if (value.direction !== 'inbound' && value.direction !== 'outbound') fail(`${path}/direction`, 'must be "inbound" or "outbound"');
  const direction = value.direction as Direction;
  if (value.encoding !== undefined && value.encoding !== 'json' && value.encoding !== 'text') fail(`${path}/encoding`, 'must be "json" or "text"');
  if (!isObject(value.schema) && typeof value.schema !== 'boolean') fail(`${path}/schema`, 'must be a JSON Schema (an object, or true)');
  const result: ProfileMessage = {
    direction,
    encoding: (value.encoding as Encoding | undefined) ?? 'text',
    schema: value.schema as ProfileMessage['schema'],
    normalise: rules(value.normalise, `${path}/normalise`, direction),
    rulePaths: rulePaths(value.normalise, `${path}/normalise`),
  };
  if (value.messageId !== undefined) result.messageId = text(value.messageId, `${path}/messageId`, 50);
  return result;
}

function customData(value: unknown, path: string): CustomDataMapping {
  if (!isObject(value)) return fail(path, 'must be an object');
  only(value, path, ['action', 'path', 'normalise']);
  return {
    action: text(value.action, `${path}/action`, 64, /^[A-Z][A-Za-z0-9]*$/),
    path: value.path === undefined ? '' : pointer(value.path, `${path}/path`),
    normalise: rules(value.normalise, `${path}/normalise`, 'customData') as InboundRule[],
  };
}

function check(document: unknown): VendorProfile {
  if (!isObject(document)) return fail('', 'a profile is a JSON object');
  only(document, '', ['id', 'vendorId', 'match', 'messages', 'customData']);
  const id = text(document.id, '/id', 64, PROFILE_ID);
  // The API's own words in the profile routes (/vendor-profiles/export, /import).
  if (RESERVED_IDS.includes(id.toLowerCase())) fail('/id', `${id} is reserved`);
  const vendorId = text(document.vendorId, '/vendorId', 255);
  if (!Array.isArray(document.messages) && document.customData === undefined) fail('/messages', 'must be an array');
  const messagesIn = document.messages === undefined ? [] : document.messages;
  if (!Array.isArray(messagesIn)) return fail('/messages', 'must be an array');
  if (messagesIn.length > MAX_MESSAGES) fail('/messages', `must have at most ${MAX_MESSAGES} messages`);
  const messages = messagesIn.map((item, index) => message(item, `/messages/${index}`));
  const seen = new Set<string>();
  const commands = new Set<string>();
  messages.forEach((entry, index) => {
    const key = `${entry.direction} ${entry.messageId?.toLowerCase() ?? ''}`;
    if (seen.has(key)) fail(`/messages/${index}/messageId`, `another ${entry.direction} message has the messageId ${entry.messageId ?? '(none)'}`);
    seen.add(key);
    for (const [ruleIndex, rule] of entry.normalise.entries()) {
      if (rule.kind !== 'command') continue;
      const name = commandName(entry, rule);
      if (name === undefined) fail(entry.rulePaths[ruleIndex] as string, 'a command needs a name: set command or the messageId');
      if (commands.has(name as string)) fail(entry.rulePaths[ruleIndex] as string, `the command ${name} is defined twice`);
      commands.add(name as string);
    }
  });
  const mappings = document.customData === undefined ? [] : document.customData;
  if (!Array.isArray(mappings)) return fail('/customData', 'must be an array');
  if (mappings.length > MAX_MESSAGES) fail('/customData', `must have at most ${MAX_MESSAGES} mappings`);
  return {
    id,
    vendorId,
    match: document.match === undefined ? null : stationMatch(document.match, '/match'),
    messages,
    customData: mappings.map((item, index) => customData(item, `/customData/${index}`)),
  };
}


/** Checks an uploaded document; the first problem with its JSON pointer path. */
export function checkProfile(document: unknown): ProfileCheck {
  try {
    return { ok: true, profile: check(document) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, path: error.path || '/', problem: error.problem };
    throw error;
  }
}
