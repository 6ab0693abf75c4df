/**
 * Device-model core: a station's configuration as the CSMS last learnt it, in one shape for
 * every version. A 2.x setting is a component (with its instance and EVSE/connector) and a
 * variable with up to four attributes and its characteristics; a 1.6 setting is a key with a
 * value and a read-only flag, kept as an `Actual` attribute so both read the same way.
 * Pure: time and ids come in as values.
 */

export type ConfigurationDialect = '1.6' | '2.x';

/** Where the CSMS learnt a setting's value. */
export const CONFIGURATION_SOURCES = ['report', 'getVariables', 'setVariables', 'getConfiguration', 'setConfiguration'] as const;
export type ConfigurationSource = (typeof CONFIGURATION_SOURCES)[number];

export interface ComponentRef {
  name: string;
  instance: string | null;
  evseId: number | null;
  connectorId: number | null;
}

export interface VariableRef {
  name: string;
  instance: string | null;
}

export interface VariableAttribute {
  /** Actual, Target, MinSet, MaxSet (the station's word; Actual when it gave none). */
  type: string;
  value: string | null;
  mutability: string | null;
  persistent: boolean | null;
  constant: boolean | null;
}

export interface VariableCharacteristics {
  unit: string | null;
  dataType: string;
  minLimit: number | null;
  maxLimit: number | null;
  maxElements: number | null;
  valuesList: string | null;
  supportsMonitoring: boolean;
}

/** One variable as a report described it. */
export interface ReportedVariable {
  component: ComponentRef;
  variable: VariableRef;
  attributes: VariableAttribute[];
  characteristics: VariableCharacteristics | null;
}

export interface LastSet {
  value: string;
  /** The station's answer word (Accepted, Rejected, RebootRequired, NotSupported, ...). */
  status: string;
  at: Date;
}

/** One setting of a station, as stored and shown. */
export interface ConfigurationEntry {
  stationId: string;
  tenantId: string;
  /** Case-folded address, unique per station (2.0.1 and 1.6 names are case-insensitive). */
  identity: string;
  /** "Component[instance]/Variable[instance]" (the form the getConfiguration/setConfiguration commands take) or the 1.6 key. */
  key: string;
  dialect: ConfigurationDialect;
  component: ComponentRef | null;
  variable: VariableRef | null;
  attributes: VariableAttribute[];
  characteristics: VariableCharacteristics | null;
  /** 1.6 says whether a key is read-only; 2.x says it in the attribute's mutability (null here). */
  readonly: boolean | null;
  source: ConfigurationSource;
  reportedAt: Date;
  /** The report that last described it, if any. */
  reportId: string | null;
  lastSet: LastSet | null;
}

export const ACTUAL = 'Actual';

const fold = (s: string | null) => (s === null ? null : s.toLowerCase());

export function identityOf2x(component: ComponentRef, variable: VariableRef): string {
  return JSON.stringify(['2.x', fold(component.name), fold(component.instance), component.evseId, component.connectorId, fold(variable.name), fold(variable.instance)]);
}

export function identityOf16(key: string): string {
  return JSON.stringify(['1.6', key.toLowerCase()]);
}

export function keyOf2x(component: Pick<ComponentRef, 'name' | 'instance'>, variable: VariableRef): string {
  const c = component.instance ? `${component.name}[${component.instance}]` : component.name;
  const v = variable.instance ? `${variable.name}[${variable.instance}]` : variable.name;
  return `${c}/${v}`;
}

const KEY = /^([^/[\]]+)(?:\[([^\]]+)\])?\/([^/[\]]+)(?:\[([^\]]+)\])?$/;

/** "Component[instance]/Variable[instance]" -> component (no EVSE) and variable; null when the key is not one. */
export function parseKey2x(key: string): { component: ComponentRef; variable: VariableRef } | null {
  const match = KEY.exec(key);
  if (!match) return null;
  return {
    component: { name: match[1] as string, instance: match[2] ?? null, evseId: null, connectorId: null },
    variable: { name: match[3] as string, instance: match[4] ?? null },
  };
}

/** The value most readers want: the Actual attribute's (or the only one's). */
export function actualValue(attributes: readonly VariableAttribute[]): string | null {
  return (attributes.find((a) => a.type === ACTUAL) ?? (attributes.length === 1 ? attributes[0] : undefined))?.value ?? null;
}

/** The attributes with the Actual value replaced (or added), the others kept. */
export function withActual(attributes: readonly VariableAttribute[], value: string | null): VariableAttribute[] {
  const found = attributes.some((a) => a.type === ACTUAL);
  if (!found) return [...attributes, { type: ACTUAL, value, mutability: null, persistent: null, constant: null }];
  return attributes.map((a) => (a.type === ACTUAL ? { ...a, value } : a));
}

/** An entry from a report's variable. */
export function entryFromReport(stationId: string, tenantId: string, reported: ReportedVariable, at: Date, reportId: string | null): ConfigurationEntry {
  return {
    stationId,
    tenantId,
    identity: identityOf2x(reported.component, reported.variable),
    key: keyOf2x(reported.component, reported.variable),
    dialect: '2.x',
    component: reported.component,
    variable: reported.variable,
    attributes: reported.attributes,
    characteristics: reported.characteristics,
    readonly: null,
    source: 'report',
    reportedAt: at,
    reportId,
    lastSet: null,
  };
}

/** The same setting twice in one batch: the later description wins (a batch upsert may touch a row once). */
export function lastPerIdentity<T extends { identity: string }>(items: readonly T[]): T[] {
  const byIdentity = new Map<string, T>();
  for (const item of items) {
    byIdentity.delete(item.identity);
    byIdentity.set(item.identity, item);
  }
  return [...byIdentity.values()];
}

/** What a read (GetConfiguration / GetVariables) learnt about one setting. */
export interface ReadValue {
  key: string;
  value: string | null;
  readonly: boolean | null;
}

/**
 * A read value folded into the setting as it was known (or a new one). A 2.x key that is not
 * "Component/Variable" cannot be addressed and is skipped (null).
 */
export function entryFromRead(
  existing: ConfigurationEntry | null,
  read: ReadValue,
  context: { stationId: string; tenantId: string; dialect: ConfigurationDialect; at: Date },
): ConfigurationEntry | null {
  const source: ConfigurationSource = context.dialect === '1.6' ? 'getConfiguration' : 'getVariables';
  const base = baseEntry(existing, read.key, context);
  if (!base) return null;
  return { ...base, attributes: withActual(base.attributes, read.value), readonly: context.dialect === '1.6' ? read.readonly : base.readonly, source, reportedAt: context.at };
}

/** A write's answer folded into the setting; an accepted write is the new Actual value. */
export function entryFromSet(
  existing: ConfigurationEntry | null,
  set: { key: string; value: string; status: string; accepted: boolean },
  context: { stationId: string; tenantId: string; dialect: ConfigurationDialect; at: Date },
): ConfigurationEntry | null {
  const base = baseEntry(existing, set.key, context);
  if (!base) return null;
  const lastSet = { value: set.value, status: set.status, at: context.at };
  // RebootRequired is accepted but not yet in effect: the value read stays until a read or report says otherwise.
  const takesEffect = set.accepted && set.status === 'Accepted';
  if (!takesEffect) return { ...base, lastSet };
  return { ...base, attributes: withActual(base.attributes, set.value), source: context.dialect === '1.6' ? 'setConfiguration' : 'setVariables', reportedAt: context.at, lastSet };
}

function baseEntry(existing: ConfigurationEntry | null, key: string, context: { stationId: string; tenantId: string; dialect: ConfigurationDialect; at: Date }): ConfigurationEntry | null {
  if (existing) return existing;
  const empty = { stationId: context.stationId, tenantId: context.tenantId, attributes: [], characteristics: null, readonly: null, reportId: null, lastSet: null, reportedAt: context.at };
  if (context.dialect === '1.6') {
    return { ...empty, identity: identityOf16(key), key, dialect: '1.6', component: null, variable: null, source: 'getConfiguration' };
  }
  const ref = parseKey2x(key);
  if (!ref) return null;
  return { ...empty, identity: identityOf2x(ref.component, ref.variable), key: keyOf2x(ref.component, ref.variable), dialect: '2.x', ...ref, source: 'getVariables' };
}

/** The identity a command's key addresses in the station's dialect (null: not addressable). */
export function identityOfKey(dialect: ConfigurationDialect, key: string): string | null {
  if (dialect === '1.6') return identityOf16(key);
  const ref = parseKey2x(key);
  return ref ? identityOf2x(ref.component, ref.variable) : null;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Integers the schemas leave unbounded are stored as 32-bit ones; anything else is refused. */
export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

/**
 * The dialect a getConfiguration / setConfiguration command was answered in, from the command
 * itself rather than the station's current version (a station re-flashed from 1.6 to 2.0.1 may
 * answer a 1.6 read after the CSMS learnt its new version): 2.x keys are "Component/Variable",
 * 1.6 keys have no slash, and only 1.6 reads every key when none is named.
 */
export function dialectOfCommand(params: { keys?: readonly string[]; key?: string }): ConfigurationDialect {
  const keys = params.key !== undefined ? [params.key] : (params.keys ?? []);
  return keys.some((k) => k.includes('/')) ? '2.x' : '1.6';
}
