/**
 * Vendor profiles core: the declarative document an operator writes per vendor (issue 14). A profile
 * says which DataTransfer messages of a vendor the CSMS understands, the JSON Schema each payload
 * must pass, and what each becomes: metrics, events, or (outbound) a command rendered from a
 * template; 2.x customData mappings ride along. The structural check of an uploaded document is
 * vendor-profile-check.ts. Pure.
 */
import type { JsonPointer } from './vendor-pointer.ts';

export type TextMatch = string | { regex: string };

export interface StationMatch {
  /** The station's vendor as its BootNotification gave it: exact, or a regular expression. */
  vendor?: TextMatch;
  model?: TextMatch;
}

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface MetricRule {
  kind: 'metric';
  name: string;
  /** Where the value is: a number, a numeric string, a boolean (1/0), or a string `map` knows. */
  value: JsonPointer;
  unit?: string;
  /** Strings mapped to numbers (pump state "running" -> 1). */
  map?: Record<string, number>;
  /** Multiplied into the value (tenths of a degree -> degrees). */
  scale?: number;
  /** Where the sample's time is (ISO 8601); absent or unreadable: when the message arrived. */
  at?: JsonPointer;
}

export interface EventCondition {
  pointer: JsonPointer;
  equals?: unknown;
  in?: unknown[];
  /** true: the value must be present; false: absent. */
  exists?: boolean;
}

export interface EventRule {
  kind: 'event';
  type: string;
  severity: Severity;
  /** A fault the operator must see (the station has a problem), not just a notice. */
  problem?: boolean;
  /** Raised only when this holds; absent: every matching message raises it. */
  when?: EventCondition;
  /** Where the event's detail is (any JSON). */
  detail?: JsonPointer;
  at?: JsonPointer;
}

export interface CommandRule {
  kind: 'command';
  /** The name `vendorCommand` asks for; default: the message's messageId. */
  command?: string;
  /** JSON Schema of the parameters the caller gives. */
  parameters?: Record<string, unknown>;
  /** The data sent: any JSON; a string "{{name}}" becomes the parameter's value, "{{name}}" inside text its text. */
  data?: unknown;
}

export type InboundRule = MetricRule | EventRule;
export type Rule = InboundRule | CommandRule;

export type Direction = 'inbound' | 'outbound';
/** How a 1.6 `data` string is read: JSON (parsed before the schema sees it) or plain text. */
export type Encoding = 'json' | 'text';

export interface ProfileMessage {
  /** Absent: the message that carries no messageId. */
  messageId?: string;
  direction: Direction;
  encoding: Encoding;
  schema: Record<string, unknown> | boolean;
  normalise: Rule[];
  /** Where each rule sits in the document (normalise may be one object or an array), for upload errors. */
  rulePaths: string[];
}

export interface CustomDataMapping {
  /** The OCPP 2.x action whose payloads carry the customData. */
  action: string;
  /** Where the object carrying `customData` sits in the payload; default: the payload itself. */
  path: JsonPointer;
  /** Pointers are relative to the customData object. */
  normalise: InboundRule[];
}

export interface VendorProfile {
  id: string;
  vendorId: string;
  match: StationMatch | null;
  messages: ProfileMessage[];
  customData: CustomDataMapping[];
}

export type ProfileCheck = { ok: true; profile: VendorProfile } | { ok: false; path: string; problem: string };

export const PROFILE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** The name by which `vendorCommand` finds a command rule. */
export function commandName(message: ProfileMessage, rule: CommandRule): string | undefined {
  return rule.command ?? message.messageId;
}

/** Every JSON Schema of a profile with its path (the service compiles them on upload). */
export function schemasOf(profile: VendorProfile): Array<{ path: string; schema: Record<string, unknown> | boolean }> {
  return profile.messages.flatMap((entry, index) => [
    { path: `/messages/${index}/schema`, schema: entry.schema },
    ...entry.normalise.flatMap((rule, ruleIndex) => (rule.kind === 'command' && rule.parameters ? [{ path: `${entry.rulePaths[ruleIndex]}/parameters`, schema: rule.parameters }] : [])),
  ]);
}
