/**
 * Value conversions of the 1.6 -> 2.0.1 configuration key map (device-model-key-map.ts).
 * Pure: a 1.6 configuration value (a string, as GetConfiguration reports it) goes in, the
 * 2.0.1 attribute value (or why there is none) comes out. Enumerations are written out here
 * because a core file reads no schema; test/unit/device-model-key-map.test.ts checks them
 * against the official JSON schemas, so a drift fails there.
 */

/** How a key's value is read and rewritten. */
export type ValueRule =
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max?: number }
  | { kind: 'string' }
  | { kind: 'measurands' }
  | { kind: 'rate-units' }
  | { kind: 'file-transfer-protocols' }
  | { kind: 'phase-rotation' }
  | { kind: 'security-profile' }
  | { kind: 'password' }
  | { kind: 'csl' };

/** A 2.0.1 value, or the reason the 1.6 value has none. `notes` say what changed on the way. */
export type ValueConversion =
  | { ok: true; value: string; notes: string[]; perIndex?: PhaseRotationEntry[] }
  | { ok: false; reason: string };

/** One item of the 1.6 ConnectorPhaseRotation list: index 0 is the grid connection, n the connector. */
export interface PhaseRotationEntry {
  index: number;
  value: string;
}

/** The 1.6 Measurand enumeration (OCPP 1.6 MeterValues schema). */
export const MEASURANDS_16: readonly string[] = [
  'Energy.Active.Export.Register', 'Energy.Active.Import.Register', 'Energy.Reactive.Export.Register', 'Energy.Reactive.Import.Register',
  'Energy.Active.Export.Interval', 'Energy.Active.Import.Interval', 'Energy.Reactive.Export.Interval', 'Energy.Reactive.Import.Interval',
  'Power.Active.Export', 'Power.Active.Import', 'Power.Offered', 'Power.Reactive.Export', 'Power.Reactive.Import', 'Power.Factor',
  'Current.Import', 'Current.Export', 'Current.Offered', 'Voltage', 'Frequency', 'Temperature', 'SoC', 'RPM',
];

/** The 2.0.1 MeasurandEnumType (OCPP 2.0.1 schemas): 1.6's Temperature and RPM are gone. */
export const MEASURANDS_201: readonly string[] = [
  'Current.Export', 'Current.Import', 'Current.Offered', 'Energy.Active.Export.Register', 'Energy.Active.Import.Register',
  'Energy.Reactive.Export.Register', 'Energy.Reactive.Import.Register', 'Energy.Active.Export.Interval', 'Energy.Active.Import.Interval',
  'Energy.Active.Net', 'Energy.Reactive.Export.Interval', 'Energy.Reactive.Import.Interval', 'Energy.Reactive.Net', 'Energy.Apparent.Net',
  'Energy.Apparent.Import', 'Energy.Apparent.Export', 'Frequency', 'Power.Active.Export', 'Power.Active.Import', 'Power.Factor',
  'Power.Offered', 'Power.Reactive.Export', 'Power.Reactive.Import', 'SoC', 'Voltage',
];

/** The 1.6 Phase enumeration: a 1.6 measurand list item may carry one ("Voltage.L1"). */
export const PHASES_16: readonly string[] = ['L1', 'L2', 'L3', 'N', 'L1-N', 'L2-N', 'L3-N', 'L1-L2', 'L2-L3', 'L3-L1'];

/** 1.6 phase rotation codes; 2.0.1 PhaseRotation uses the same three letters (R, S, T, x). */
const ROTATIONS = ['RST', 'RTS', 'SRT', 'STR', 'TRS', 'TSR'];
/** 1.6 edition 2 chapter 8: FTP, FTPS, HTTP, HTTPS; 2.0.1 adds SFTP (Part 6, OCPPCommCtrlr.FileTransferProtocols). */
const FILE_TRANSFER_PROTOCOLS = ['FTP', 'FTPS', 'HTTP', 'HTTPS', 'SFTP'];
/** 2.0.1 SetVariableData.attributeValue maxLength (schema): a longer value cannot be set. */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 1000;

const fail = (reason: string): ValueConversion => ({ ok: false, reason });
const done = (value: string, notes: string[] = []): ValueConversion => ({ ok: true, value, notes });
const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** Splits a 1.6 comma separated list; empty items (",,", a trailing comma) carry nothing and are dropped. */
function items(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function caseInsensitive(list: readonly string[], item: string): string | undefined {
  const lower = item.toLowerCase();
  return list.find((candidate) => candidate.toLowerCase() === lower);
}

function convertBoolean(value: string): ValueConversion {
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === 'false') return done(text, text === value ? [] : ['boolean spelling normalised']);
  return fail(`${quote(value)} is not a boolean (true/false)`);
}

function convertInteger(value: string, min: number, max: number | undefined): ValueConversion {
  const text = value.trim();
  if (!/^[+-]?\d{1,16}$/.test(text)) return fail(`${quote(value)} is not an integer`);
  const number = Number(text);
  if (!Number.isSafeInteger(number)) return fail(`${quote(value)} is out of range`);
  if (number < min) return fail(`${number} is below the minimum ${min}`);
  if (max !== undefined && number > max) return fail(`${number} is above the maximum ${max}`);
  const canonical = String(number);
  return done(canonical, canonical === value ? [] : ['integer spelling normalised']);
}

function convertString(value: string): ValueConversion {
  if (value.length > MAX_ATTRIBUTE_VALUE_LENGTH) return fail(`longer than the ${MAX_ATTRIBUTE_VALUE_LENGTH} characters a 2.0.1 attribute value may have`);
  return done(value);
}

/** 1.6 item = measurand, optionally ".phase"; 2.0.1 lists measurands only (the station reports phases as its meter does). */
function convertMeasurands(value: string): ValueConversion {
  const out: string[] = [];
  const notes = new Set<string>();
  const list = items(value);
  for (const item of list) {
    let measurand = caseInsensitive(MEASURANDS_16, item);
    if (measurand === undefined) {
      const dot = item.lastIndexOf('.');
      const base = dot > 0 ? caseInsensitive(MEASURANDS_16, item.slice(0, dot)) : undefined;
      const phase = dot > 0 ? caseInsensitive(PHASES_16, item.slice(dot + 1)) : undefined;
      if (base === undefined || phase === undefined) return fail(`${quote(item)} is not a 1.6 measurand`);
      measurand = base;
      notes.add(`phase suffixes dropped (${item} -> ${base}): 2.0.1 measurand lists name no phase`);
    }
    if (!MEASURANDS_201.includes(measurand)) {
      notes.add(`${measurand} dropped: not a 2.0.1 measurand`);
      continue;
    }
    if (!out.includes(measurand)) out.push(measurand);
  }
  if (list.length > 0 && out.length === 0) return fail('none of the listed measurands exists in 2.0.1');
  const converted = out.join(',');
  if (converted !== value && notes.size === 0) notes.add('list spelling normalised');
  return done(converted, [...notes]);
}

/** 1.6 ChargingScheduleAllowedChargingRateUnit (Current, Power) -> 2.0.1 SmartChargingCtrlr.RateUnit (A, W). */
function convertRateUnits(value: string): ValueConversion {
  const out: string[] = [];
  for (const item of items(value)) {
    const unit = caseInsensitive(['Current', 'Power'], item);
    if (unit === undefined) return fail(`${quote(item)} is not a 1.6 charging rate unit (Current, Power)`);
    const converted = unit === 'Current' ? 'A' : 'W';
    if (!out.includes(converted)) out.push(converted);
  }
  return done(out.join(','), ['Current -> A, Power -> W']);
}

function convertFileTransferProtocols(value: string): ValueConversion {
  const out: string[] = [];
  for (const item of items(value)) {
    const protocol = caseInsensitive(FILE_TRANSFER_PROTOCOLS, item);
    if (protocol === undefined) return fail(`${quote(item)} is not a file transfer protocol (${FILE_TRANSFER_PROTOCOLS.join(', ')})`);
    if (!out.includes(protocol)) out.push(protocol);
  }
  const converted = out.join(',');
  return done(converted, converted === value ? [] : ['list spelling normalised']);
}

/** 1.6 "0.RST, 1.RST, 2.RTS" -> one value per index; NotApplicable / Unknown become 2.0.1's empty string. */
function convertPhaseRotation(value: string): ValueConversion {
  const perIndex: PhaseRotationEntry[] = [];
  for (const item of items(value)) {
    const match = /^(\d{1,4})\.([A-Za-z]+)$/.exec(item);
    if (match === null) return fail(`${quote(item)} is not "<connector>.<rotation>"`);
    const index = Number(match[1]);
    const code = (match[2] as string).toUpperCase();
    if (perIndex.some((entry) => entry.index === index)) return fail(`connector ${index} is listed twice`);
    const rotation = ROTATIONS.includes(code) ? code : code === 'NOTAPPLICABLE' || code === 'UNKNOWN' ? '' : undefined;
    if (rotation === undefined) return fail(`${quote(match[2] as string)} is not a 1.6 phase rotation`);
    perIndex.push({ index, value: rotation });
  }
  const converted = perIndex.map((entry) => `${entry.index}.${entry.value === '' ? '(none)' : entry.value}`).join(',');
  return { ok: true, value: converted, perIndex, notes: ['one PhaseRotation per component; NotApplicable/Unknown -> empty'] };
}

/** 1.6 security whitepaper: 0 (none configured) to 3; 2.0.1 security profiles are 1 to 3. */
function convertSecurityProfile(value: string): ValueConversion {
  const integer = convertInteger(value, 0, 3);
  if (!integer.ok) return integer;
  if (integer.value === '0') return fail('security profile 0 (none configured) has no 2.0.1 equivalent: 2.0.1 profiles are 1 to 3');
  return integer;
}

/** 1.6 AuthorizationKey: 16 to 20 bytes written as 32 to 40 hexadecimal digits. */
function convertPassword(value: string): ValueConversion {
  if (!/^(?:[0-9A-Fa-f]{2}){16,20}$/.test(value)) return fail('not 32 to 40 hexadecimal digits');
  return done(value, ['the hexadecimal text becomes the 2.0.1 password string itself']);
}

export function convertValue(rule: ValueRule, value: string): ValueConversion {
  switch (rule.kind) {
    case 'boolean':
      return convertBoolean(value);
    case 'integer':
      return convertInteger(value, rule.min, rule.max);
    case 'string':
      return convertString(value);
    case 'measurands':
      return convertMeasurands(value);
    case 'rate-units':
      return convertRateUnits(value);
    case 'file-transfer-protocols':
      return convertFileTransferProtocols(value);
    case 'phase-rotation':
      return convertPhaseRotation(value);
    case 'security-profile':
      return convertSecurityProfile(value);
    case 'password':
      return convertPassword(value);
    case 'csl':
      return done(items(value).join(','));
  }
}
