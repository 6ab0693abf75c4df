/**
 * The 1.6 -> 2.0.1 configuration key map (issue 14, the migration assistant's table part).
 * Pure: the table (device-model-key-map-table.ts) and the value rules
 * (device-model-key-map-values.ts) answer what a 1.6 key becomes in 2.0.1, what its value
 * becomes, and, for a station's whole 1.6 configuration, a per-key plan.
 *
 * 1.6 keys are case-sensitive, but stations spell them in all sorts of ways ("heartbeatInterval"):
 * keys are matched case-insensitively, and the plan says when the spelling differed.
 */
import { KEY_MAP_ROWS, type Access16, type KeyMapRow, type Profile16, type SourceId } from './device-model-key-map-table.ts';
import { convertValue, type ValueRule } from './device-model-key-map-values.ts';

/** A 2.0.1 component/variable, as a SetVariables entry names it (no wire type: this is core). */
export interface VariableRef {
  component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
  variable: { name: string; instance?: string };
  /** Set when the 1.6 value lives in this characteristic, not in the variable's value. */
  characteristic?: 'maxLimit';
}

export interface KeyMapping {
  /** The key as the specification spells it. */
  key: string;
  profile: Profile16;
  access: Access16;
  unit?: string;
  rule: ValueRule;
  /** Empty: 2.0.1 has no equivalent. */
  targets: readonly VariableRef[];
  targetReadOnly: boolean;
  secret: boolean;
  source: SourceId;
  note: string;
}

export interface Assignment {
  target: VariableRef;
  value: string;
}

export type Translation =
  | { ok: true; key: string; value: string; assignments: Assignment[]; notes: string[] }
  | { ok: false; problem: 'unknown-key' | 'no-equivalent' | 'invalid-value'; reason: string };

/** One key of a station's 1.6 configuration, as GetConfiguration reports it (value absent: not set). */
export interface ConfigEntry16 {
  key: string;
  value?: string | null;
  readonly: boolean;
}

export const MIGRATION_STATUSES = ['mapped', 'converted', 'no-equivalent', 'unknown-key', 'invalid-value', 'read-only'] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

export interface MigrationRow {
  /** The key as the station spelled it. */
  key: string;
  /** The key as the specification spells it; null for an unknown key. */
  matchedKey: string | null;
  /** The 1.6 value; null when not reported, and always for a write-only secret. */
  value: string | null;
  readonly: boolean;
  /** The first target, "Component[instance]/Variable[instance]"; null when there is none. */
  target: string | null;
  targets: string[];
  translatedValue: string | null;
  /** What to set on the 2.0.1 station; empty when nothing can be set. */
  assignments: Assignment[];
  status: MigrationStatus;
  /** True only for rows whose assignments should be applied after the station moved to 2.0.1. */
  apply: boolean;
  note: string;
}

/**
 * "Component[instance]/Variable[instance]" as the table writes it; also reads what formatTarget
 * adds ("@evse[.connector]" after the component, "(maxLimit)" at the end).
 */
export function parseTarget(text: string, characteristic?: 'maxLimit'): VariableRef {
  const match = /^([A-Za-z0-9]+)(?:\[([^\]]+)\])?(?:@(\d+)(?:\.(\d+))?)?\/([A-Za-z0-9]+)(?:\[([^\]]+)\])?(\(maxLimit\))?$/.exec(text);
  if (match === null) throw new Error(`device-model key map: malformed target ${text}`);
  const [, name, instance, evseId, connectorId, variable, variableInstance, maxLimit] = match as unknown as (string | undefined)[];
  const evse = evseId === undefined ? undefined : connectorId === undefined ? { id: Number(evseId) } : { id: Number(evseId), connectorId: Number(connectorId) };
  const wanted = characteristic ?? (maxLimit === undefined ? undefined : 'maxLimit');
  return {
    component: { name: name as string, ...(instance === undefined ? {} : { instance }), ...(evse === undefined ? {} : { evse }) },
    variable: { name: variable as string, ...(variableInstance === undefined ? {} : { instance: variableInstance }) },
    ...(wanted === undefined ? {} : { characteristic: wanted }),
  };
}

/** The inverse of parseTarget. */
export function formatTarget(ref: VariableRef): string {
  const { component, variable } = ref;
  const evse = component.evse === undefined ? '' : `@${component.evse.id}${component.evse.connectorId === undefined ? '' : `.${component.evse.connectorId}`}`;
  const instance = (name: string, inst: string | undefined) => (inst === undefined ? name : `${name}[${inst}]`);
  return `${instance(component.name, component.instance)}${evse}/${instance(variable.name, variable.instance)}${ref.characteristic === undefined ? '' : `(${ref.characteristic})`}`;
}

function resolve(row: KeyMapRow): KeyMapping {
  return {
    key: row.key,
    profile: row.profile,
    access: row.access,
    ...(row.unit === undefined ? {} : { unit: row.unit }),
    rule: row.rule,
    targets: row.to.map((text) => parseTarget(text, row.characteristic)),
    targetReadOnly: row.targetReadOnly === true || row.characteristic !== undefined,
    secret: row.secret === true,
    source: row.source,
    note: row.note,
  };
}

/** Every mapping, in the table's order (1.6 profile, then the specification's order). */
export const KEY_MAPPINGS: readonly KeyMapping[] = KEY_MAP_ROWS.map(resolve);
const BY_LOWER_KEY = new Map(KEY_MAPPINGS.map((mapping) => [mapping.key.toLowerCase(), mapping]));

/** The mapping of a 1.6 key (matched case-insensitively, surrounding blanks ignored), or undefined for a vendor key. */
export function mapKey16(key: string): KeyMapping | undefined {
  if (typeof key !== 'string') return undefined;
  return BY_LOWER_KEY.get(key.trim().toLowerCase());
}

/** ConnectorPhaseRotation: index 0 is the grid connection (ChargingStation), n the 1.6 connector n (EVSE n). */
function phaseRotationAssignments(perIndex: readonly { index: number; value: string }[]): Assignment[] {
  return perIndex.map(({ index, value }) => ({
    target: {
      component: index === 0 ? { name: 'ChargingStation' } : { name: 'EVSE', evse: { id: index } },
      variable: { name: 'PhaseRotation' },
    },
    value,
  }));
}

/** The 2.0.1 value(s) of a 1.6 key's value, or why there is none. */
export function translateValue16(key: string, value: string): Translation {
  const mapping = mapKey16(key);
  if (mapping === undefined) return { ok: false, problem: 'unknown-key', reason: 'not a standard 1.6 configuration key' };
  if (mapping.targets.length === 0) return { ok: false, problem: 'no-equivalent', reason: 'no 2.0.1 equivalent' };
  if (typeof value !== 'string') return { ok: false, problem: 'invalid-value', reason: 'the value is not text' };
  const converted = convertValue(mapping.rule, value);
  if (!converted.ok) return { ok: false, problem: 'invalid-value', reason: converted.reason };
  const assignments =
    converted.perIndex === undefined
      ? mapping.targets.map((target) => ({ target, value: converted.value }))
      : phaseRotationAssignments(converted.perIndex);
  return { ok: true, key: mapping.key, value: converted.value, assignments, notes: converted.notes };
}

/** A value as a report may show it: text only, whatever a peer sent. */
function valueText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? null;
}

const sentence = (parts: readonly string[]) => parts.filter((part) => part !== '').join(' ');

function planRow(entry: ConfigEntry16, seen: Set<string>): MigrationRow {
  const key = typeof entry?.key === 'string' ? entry.key : String(entry?.key ?? '');
  const readonly = entry?.readonly === true;
  const reported = valueText(entry?.value);
  const mapping = mapKey16(key);
  const base = { key, readonly, target: null, targets: [], translatedValue: null, assignments: [], apply: false };
  if (mapping === undefined) {
    return { ...base, matchedKey: null, value: reported, status: 'unknown-key', note: 'Not a standard 1.6 key (vendor-specific): not carried over.' };
  }
  const spelling = mapping.key === key ? '' : `Matched case-insensitively (the specification spells it ${mapping.key}).`;
  const duplicate = seen.has(mapping.key) ? 'Duplicate of an earlier entry: not applied.' : '';
  seen.add(mapping.key);
  const targets = mapping.targets.map(formatTarget);
  const shown = { ...base, matchedKey: mapping.key, value: mapping.secret ? null : reported, target: targets[0] ?? null, targets };
  if (mapping.targets.length === 0) return { ...shown, status: 'no-equivalent', note: sentence([mapping.note, spelling]) };
  if (mapping.secret) {
    return { ...shown, status: 'mapped', note: sentence([mapping.note, 'The value is never shown or carried by a plan.', spelling]) };
  }
  const readOnly = readonly || mapping.access === 'R' || mapping.targetReadOnly;
  if (reported === null) {
    return { ...shown, status: readOnly ? 'read-only' : 'mapped', note: sentence([mapping.note, 'No value reported: nothing to carry over.', spelling]) };
  }
  const translation = translateValue16(mapping.key, reported);
  if (!translation.ok) {
    return { ...shown, status: 'invalid-value', note: sentence([`Cannot translate: ${translation.reason}.`, mapping.note, spelling]) };
  }
  const translated = { ...shown, translatedValue: translation.value, assignments: translation.assignments };
  const changes = translation.notes.length === 0 ? '' : `Converted: ${translation.notes.join('; ')}.`;
  if (readOnly) {
    const why = mapping.targetReadOnly && !readonly && mapping.access !== 'R' ? 'Read-only in 2.0.1: reported, not applied.' : 'Read-only: reported, not applied.';
    return { ...translated, status: 'read-only', note: sentence([why, mapping.note, changes, spelling]) };
  }
  return {
    ...translated,
    status: translation.value === reported && translation.assignments.every((a) => a.value === reported) ? 'mapped' : 'converted',
    apply: duplicate === '' && translation.assignments.length > 0,
    note: sentence([mapping.note, changes, duplicate, spelling]),
  };
}

/**
 * What a station's 1.6 configuration becomes in 2.0.1, one row per reported key, in the
 * station's order. Never throws: a malformed entry becomes an unknown-key or invalid-value row.
 */
export function planMigration(config16: readonly ConfigEntry16[]): MigrationRow[] {
  const seen = new Set<string>();
  return Array.isArray(config16) ? config16.map((entry) => planRow(entry, seen)) : [];
}

/** How many rows of each status a plan has (every status present, zero or not). */
export function summarisePlan(rows: readonly MigrationRow[]): Record<MigrationStatus, number> {
  const counts: Record<MigrationStatus, number> = { mapped: 0, converted: 0, 'no-equivalent': 0, 'unknown-key': 0, 'invalid-value': 0, 'read-only': 0 };
  for (const row of rows) counts[row.status] += 1;
  return counts;
}
