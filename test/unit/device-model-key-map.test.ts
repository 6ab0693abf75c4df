/**
 * The 1.6 -> 2.0.1 configuration key map. The key lists and the documented 2.0.1 variables
 * below are written out from the specification documents (1.6 edition 2 chapter 9, the 1.6
 * security whitepaper edition 2 chapter 7, 2.0.1 Part 2 Appendices v1.3 appendix 3, Part 4
 * chapter 8, Part 6 required components table), independently of the implementation's table:
 * a key missing from the table, or a target naming a variable the documents do not list, fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  KEY_MAPPINGS,
  formatTarget,
  mapKey16,
  parseTarget,
  planMigration,
  summarisePlan,
  translateValue16,
  type ConfigEntry16,
  type MigrationRow,
} from '../../src/capabilities/device-model/device-model-key-map.ts';
import { MAX_ATTRIBUTE_VALUE_LENGTH, MEASURANDS_16, MEASURANDS_201, PHASES_16 } from '../../src/capabilities/device-model/device-model-key-map-values.ts';
import { MIGRATION_DOC_PATH, currentMigrationTable, renderMigrationTable } from '../../tools/migration-table.ts';

/** key -> [profile, accessibility] as the 1.6 documents state them. */
const SPEC_KEYS_16: Record<string, [string, string]> = {
  // 1.6 edition 2, 9.1 Core Profile
  AllowOfflineTxForUnknownId: ['Core', 'RW'],
  AuthorizationCacheEnabled: ['Core', 'RW'],
  AuthorizeRemoteTxRequests: ['Core', 'R or RW'],
  BlinkRepeat: ['Core', 'RW'],
  ClockAlignedDataInterval: ['Core', 'RW'],
  ConnectionTimeOut: ['Core', 'RW'],
  ConnectorPhaseRotation: ['Core', 'RW'],
  ConnectorPhaseRotationMaxLength: ['Core', 'R'],
  GetConfigurationMaxKeys: ['Core', 'R'],
  HeartbeatInterval: ['Core', 'RW'],
  LightIntensity: ['Core', 'RW'],
  LocalAuthorizeOffline: ['Core', 'RW'],
  LocalPreAuthorize: ['Core', 'RW'],
  MaxEnergyOnInvalidId: ['Core', 'RW'],
  MeterValuesAlignedData: ['Core', 'RW'],
  MeterValuesAlignedDataMaxLength: ['Core', 'R'],
  MeterValuesSampledData: ['Core', 'RW'],
  MeterValuesSampledDataMaxLength: ['Core', 'R'],
  MeterValueSampleInterval: ['Core', 'RW'],
  MinimumStatusDuration: ['Core', 'RW'],
  NumberOfConnectors: ['Core', 'R'],
  ResetRetries: ['Core', 'RW'],
  StopTransactionOnEVSideDisconnect: ['Core', 'RW'],
  StopTransactionOnInvalidId: ['Core', 'RW'],
  StopTxnAlignedData: ['Core', 'RW'],
  StopTxnAlignedDataMaxLength: ['Core', 'R'],
  StopTxnSampledData: ['Core', 'RW'],
  StopTxnSampledDataMaxLength: ['Core', 'R'],
  SupportedFeatureProfiles: ['Core', 'R'],
  SupportedFeatureProfilesMaxLength: ['Core', 'R'],
  TransactionMessageAttempts: ['Core', 'RW'],
  TransactionMessageRetryInterval: ['Core', 'RW'],
  UnlockConnectorOnEVSideDisconnect: ['Core', 'RW'],
  WebSocketPingInterval: ['Core', 'RW'],
  // 9.2 Local Auth List Management Profile
  LocalAuthListEnabled: ['LocalAuthListManagement', 'RW'],
  LocalAuthListMaxLength: ['LocalAuthListManagement', 'R'],
  SendLocalListMaxLength: ['LocalAuthListManagement', 'R'],
  // 9.3 Reservation Profile
  ReserveConnectorZeroSupported: ['Reservation', 'R'],
  // 9.4 Smart Charging Profile
  ChargeProfileMaxStackLevel: ['SmartCharging', 'R'],
  ChargingScheduleAllowedChargingRateUnit: ['SmartCharging', 'R'],
  ChargingScheduleMaxPeriods: ['SmartCharging', 'R'],
  ConnectorSwitch3to1PhaseSupported: ['SmartCharging', 'R'],
  MaxChargingProfilesInstalled: ['SmartCharging', 'R'],
  // 1.6 edition 2 chapter 8 (file transfer), no accessibility given
  SupportedFileTransferProtocols: ['FirmwareManagement', 'R or RW'],
  // Security whitepaper edition 2, chapter 7
  AdditionalRootCertificateCheck: ['Security', 'R'],
  AuthorizationKey: ['Security', 'W'],
  CertificateSignedMaxChainSize: ['Security', 'R'],
  CertificateStoreMaxLength: ['Security', 'R'],
  CpoName: ['Security', 'RW'],
  SecurityProfile: ['Security', 'RW'],
};

/** Variables the 2.0.1 documents list per component (appendix 3, Part 4 chapter 8, Part 6). */
const DOCUMENTED_201: Record<string, string[]> = {
  AlignedDataCtrlr: ['Enabled', 'Available', 'Interval', 'Measurands', 'SendDuringIdle', 'SignReadings', 'TxEndedInterval', 'TxEndedMeasurands'],
  AuthCtrlr: ['Enabled', 'AdditionalInfoItemsPerMessage', 'AuthorizeRemoteStart', 'DisableRemoteAuthorization', 'LocalAuthorizeOffline', 'LocalPreAuthorize', 'MasterPassGroupId', 'OfflineTxForUnknownIdEnabled'],
  AuthCacheCtrlr: ['Enabled', 'Available', 'LifeTime', 'Policy', 'DisablePostAuthorize'],
  DeviceDataCtrlr: ['BytesPerMessage', 'ItemsPerMessage', 'ValueSize'],
  LocalAuthListCtrlr: ['Enabled', 'Entries', 'Available', 'ItemsPerMessage', 'BytesPerMessage', 'Storage', 'DisablePostAuthorize'],
  OCPPCommCtrlr: [
    'ActiveNetworkProfile', 'FileTransferProtocols', 'HeartbeatInterval', 'MessageAttempts', 'MessageAttemptInterval', 'MessageTimeout', 'MinimumStatusDuration',
    'NetworkConfigurationPriority', 'NetworkProfileConnectionAttempts', 'OfflineThreshold', 'PublicKeyWithSignedMeterValue', 'QueueAllMessages', 'ResetRetries',
    'RetryBackOffRepeatTimes', 'RetryBackOffRandomRange', 'RetryBackOffWaitMinimum', 'UnlockOnEVSideDisconnect', 'WebSocketPingInterval', 'FieldLength',
  ],
  ReservationCtrlr: ['Enabled', 'Available', 'NonEvseSpecific'],
  SampledDataCtrlr: ['Enabled', 'Available', 'SignReadings', 'TxEndedMeasurands', 'TxEndedInterval', 'TxStartedMeasurands', 'TxUpdatedMeasurands', 'TxUpdatedInterval', 'RegisterValuesWithoutPhases'],
  // appendix 3 + Part 6 (CertificateEntries, SecurityProfile) + OCPP 2.1 appendices chapter 4 (AdditionalRootCertificateCheck, MaxCertificateChainSize)
  SecurityCtrlr: ['BasicAuthPassword', 'Identity', 'OrganizationName', 'CertSigningWaitMinimum', 'CertSigningRepeatTimes', 'CertificateEntries', 'SecurityProfile', 'AdditionalRootCertificateCheck', 'MaxCertificateChainSize'],
  SmartChargingCtrlr: ['Enabled', 'Available', 'ACPhaseSwitchingSupported', 'ProfileStackLevel', 'RateUnit', 'PeriodsPerSchedule', 'ExternalControlSignalsEnabled', 'NotifyChargingLimitWithSchedules', 'Phases3to1', 'Entries', 'LimitChangeSignificance'],
  TxCtrlr: ['EVConnectionTimeOut', 'TxBeforeAcceptedEnabled', 'TxStartPoint', 'TxStopPoint', 'MaxEnergyOnInvalidId', 'StopTxOnInvalidId', 'StopTxOnEVSideDisconnect'],
  ChargingStation: ['PhaseRotation'],
  EVSE: ['PhaseRotation'],
};

/** Mappings the issue and the brief name explicitly. */
const NAMED_TARGETS: Record<string, string> = {
  ConnectionTimeOut: 'TxCtrlr/EVConnectionTimeOut',
  MeterValueSampleInterval: 'SampledDataCtrlr/TxUpdatedInterval',
  StopTransactionOnInvalidId: 'TxCtrlr/StopTxOnInvalidId',
  LocalAuthorizeOffline: 'AuthCtrlr/LocalAuthorizeOffline',
  AuthorizationCacheEnabled: 'AuthCacheCtrlr/Enabled',
  HeartbeatInterval: 'OCPPCommCtrlr/HeartbeatInterval',
  TransactionMessageAttempts: 'OCPPCommCtrlr/MessageAttempts[TransactionEvent]',
  CpoName: 'SecurityCtrlr/OrganizationName',
  AuthorizationKey: 'SecurityCtrlr/BasicAuthPassword',
};

const require = createRequire(import.meta.url);
type Json = { [key: string]: unknown };
function findEnums(node: unknown, test: (key: string, value: Json) => boolean, out = new Set<string>(), key = ''): Set<string> {
  if (node !== null && typeof node === 'object') {
    if (!Array.isArray(node) && Array.isArray((node as Json).enum) && test(key, node as Json)) out.add(JSON.stringify((node as Json).enum));
    for (const [k, v] of Object.entries(node)) findEnums(v, test, out, k);
  }
  return out;
}
const schema16 = require('ocpp-rpc/lib/schemas/ocpp1_6.json') as unknown;
const schema201 = require('ocpp-rpc/lib/schemas/ocpp2_0_1.json') as unknown;

const plan1 = (entry: ConfigEntry16): MigrationRow => planMigration([entry])[0] as MigrationRow;

test('every standard 1.6 key is in the table with its profile and accessibility, and nothing else is', () => {
  const table = new Map(KEY_MAPPINGS.map((m) => [m.key, m]));
  const missing = Object.keys(SPEC_KEYS_16).filter((key) => !table.has(key));
  assert.deepEqual(missing, [], 'keys missing from the table');
  assert.deepEqual([...table.keys()].filter((key) => !(key in SPEC_KEYS_16)), [], 'keys the documents do not define');
  for (const [key, [profile, access]] of Object.entries(SPEC_KEYS_16)) {
    assert.equal(table.get(key)?.profile, profile, `${key} profile`);
    assert.equal(table.get(key)?.access, access, `${key} accessibility`);
  }
  assert.equal(KEY_MAPPINGS.length, Object.keys(SPEC_KEYS_16).length, 'no key listed twice');
});

test('every target names a variable the 2.0.1 documents list for that component; no-equivalent rows say why', () => {
  for (const mapping of KEY_MAPPINGS) {
    assert.ok(mapping.note.length > 10, `${mapping.key} has a note`);
    if (mapping.targets.length === 0) assert.equal(mapping.source, 'none', `${mapping.key}: no target, no source`);
    for (const target of mapping.targets) {
      const documented = DOCUMENTED_201[target.component.name];
      assert.ok(documented, `${mapping.key}: component ${target.component.name} is documented`);
      assert.ok(documented.includes(target.variable.name), `${mapping.key}: ${target.component.name}.${target.variable.name} is documented`);
      assert.deepEqual(parseTarget(formatTarget(target)), target, 'format/parse round trip');
    }
  }
  for (const [key, target] of Object.entries(NAMED_TARGETS)) assert.equal(mapKey16(key)?.targets.map(formatTarget)[0], target, key);
  for (const key of ['BlinkRepeat', 'NumberOfConnectors', 'SupportedFeatureProfiles', 'LightIntensity']) assert.equal(mapKey16(key)?.targets.length, 0, key);
  assert.throws(() => parseTarget('not a target'), /malformed target/);
  const evse = { component: { name: 'Connector', evse: { id: 2, connectorId: 1 } }, variable: { name: 'PhaseRotation' } };
  assert.equal(formatTarget(evse), 'Connector@2.1/PhaseRotation');
  assert.deepEqual(parseTarget('Connector@2.1/PhaseRotation'), evse);
});

test('the enumerations written into the core match the official schemas', () => {
  const m16 = findEnums(schema16, (key) => key === 'measurand');
  assert.deepEqual([...m16].map((e) => JSON.parse(e)), [MEASURANDS_16]);
  const p16 = findEnums(schema16, (key) => key === 'phase');
  assert.deepEqual([...p16].map((e) => JSON.parse(e)), [PHASES_16]);
  const m201 = findEnums(schema201, (key) => key === 'MeasurandEnumType');
  assert.deepEqual([...m201].map((e) => JSON.parse(e)), [MEASURANDS_201]);
  const setVariables = JSON.stringify(schema201).match(/"SetVariableDataType":\{.*?"attributeValue":\{[^}]*"maxLength":(\d+)/);
  assert.equal(Number(setVariables?.[1]), MAX_ATTRIBUTE_VALUE_LENGTH);
});

test('mapKey16 matches case-insensitively and ignores blanks; vendor keys have no mapping', () => {
  assert.equal(mapKey16('heartbeatinterval')?.key, 'HeartbeatInterval');
  assert.equal(mapKey16('  CONNECTIONTIMEOUT ')?.key, 'ConnectionTimeOut');
  assert.equal(mapKey16('VendorFancyLed'), undefined);
  assert.equal(mapKey16(''), undefined);
  assert.equal(mapKey16(42 as unknown as string), undefined);
});

const translated = (key: string, value: string) => {
  const t = translateValue16(key, value);
  assert.ok(t.ok, `${key}=${value} translates: ${t.ok ? '' : t.reason}`);
  return t;
};
const refused = (key: string, value: string) => {
  const t = translateValue16(key, value);
  assert.ok(!t.ok, `${key}=${value} is refused`);
  return t;
};

test('booleans are normalised to "true"/"false"; anything else is invalid', () => {
  assert.equal(translated('LocalAuthorizeOffline', 'TRUE').value, 'true');
  assert.equal(translated('LocalAuthorizeOffline', ' False ').value, 'false');
  assert.equal(refused('LocalAuthorizeOffline', 'yes').problem, 'invalid-value');
  assert.equal(refused('LocalAuthorizeOffline', '').problem, 'invalid-value');
});

test('integers are checked: sign, range, spelling', () => {
  assert.equal(translated('HeartbeatInterval', ' 0300').value, '300');
  assert.deepEqual(translated('ClockAlignedDataInterval', '900').assignments.map((a) => `${formatTarget(a.target)}=${a.value}`), [
    'AlignedDataCtrlr/Interval=900',
    'AlignedDataCtrlr/TxEndedInterval=900',
  ]);
  assert.equal(refused('WebSocketPingInterval', '-1').problem, 'invalid-value');
  assert.equal(refused('HeartbeatInterval', '1e3').problem, 'invalid-value');
  assert.equal(refused('HeartbeatInterval', '12.5').problem, 'invalid-value');
  assert.equal(refused('HeartbeatInterval', '99999999999999999999').problem, 'invalid-value');
  assert.equal(refused('LightIntensity', '50').problem, 'no-equivalent');
  assert.equal(refused('CertificateSignedMaxChainSize', '10001').problem, 'invalid-value');
  assert.equal(translated('CertificateSignedMaxChainSize', '10000').value, '10000');
});

test('CSL measurand lists: compatible lists unchanged, phases and 1.6-only measurands dropped, garbage refused', () => {
  assert.equal(translated('MeterValuesSampledData', 'Energy.Active.Import.Register,SoC').value, 'Energy.Active.Import.Register,SoC');
  assert.equal(translated('MeterValuesSampledData', 'Energy.Active.Import.Register, SoC').value, 'Energy.Active.Import.Register,SoC');
  assert.equal(translated('StopTxnSampledData', 'energy.active.import.register').value, 'Energy.Active.Import.Register');
  const phased = translated('MeterValuesAlignedData', 'Voltage.L1,Voltage.L2-N,Current.Import.L3');
  assert.equal(phased.value, 'Voltage,Current.Import');
  assert.match(phased.notes.join(' '), /phase suffixes dropped/);
  const temperature = translated('StopTxnAlignedData', 'Temperature,SoC,RPM');
  assert.equal(temperature.value, 'SoC');
  assert.match(temperature.notes.join(' '), /Temperature dropped/);
  assert.equal(translated('MeterValuesSampledData', '').value, '');
  assert.equal(translated('MeterValuesSampledData', 'SoC,,').value, 'SoC');
  assert.match(refused('MeterValuesSampledData', 'Temperature').reason, /none of the listed measurands/);
  assert.match(refused('MeterValuesSampledData', 'SoC,Bogus').reason, /"Bogus" is not a 1.6 measurand/);
  assert.match(refused('MeterValuesSampledData', 'Voltage.L9').reason, /not a 1.6 measurand/);
});

test('rate units, file transfer protocols and phase rotation are rewritten', () => {
  assert.equal(translated('ChargingScheduleAllowedChargingRateUnit', 'Current, Power').value, 'A,W');
  assert.equal(refused('ChargingScheduleAllowedChargingRateUnit', 'Amps').problem, 'invalid-value');
  assert.equal(translated('SupportedFileTransferProtocols', 'ftp, HTTPS').value, 'FTP,HTTPS');
  assert.equal(refused('SupportedFileTransferProtocols', 'SCP').problem, 'invalid-value');
  const rotation = translated('ConnectorPhaseRotation', '0.RST, 1.RST, 2.rts, 3.NotApplicable');
  assert.deepEqual(rotation.assignments.map((a) => `${formatTarget(a.target)}=${a.value}`), [
    'ChargingStation/PhaseRotation=RST',
    'EVSE@1/PhaseRotation=RST',
    'EVSE@2/PhaseRotation=RTS',
    'EVSE@3/PhaseRotation=',
  ]);
  assert.match(refused('ConnectorPhaseRotation', '1.RST,1.RTS').reason, /twice/);
  assert.match(refused('ConnectorPhaseRotation', '1.XYZ').reason, /not a 1.6 phase rotation/);
  assert.match(refused('ConnectorPhaseRotation', 'RST').reason, /<connector>.<rotation>/);
});

test('security keys: profile 0 has no 2.0.1 equivalent, the password is checked, long names refused', () => {
  assert.match(refused('SecurityProfile', '0').reason, /1 to 3/);
  assert.equal(translated('SecurityProfile', '2').value, '2');
  assert.equal(refused('SecurityProfile', '4').problem, 'invalid-value');
  assert.equal(translated('AuthorizationKey', 'a'.repeat(32)).value, 'a'.repeat(32));
  assert.equal(refused('AuthorizationKey', 'short').problem, 'invalid-value');
  assert.equal(translated('CpoName', 'Example CPO').value, 'Example CPO');
  assert.equal(refused('CpoName', 'x'.repeat(MAX_ATTRIBUTE_VALUE_LENGTH + 1)).problem, 'invalid-value');
  assert.equal(refused('VendorKey', '1').problem, 'unknown-key');
});

test('planMigration: mapped, converted, read-only, no-equivalent, unknown and invalid rows', () => {
  const rows = planMigration([
    { key: 'HeartbeatInterval', value: '300', readonly: false },
    { key: 'LocalAuthorizeOffline', value: 'TRUE', readonly: false },
    { key: 'ConnectionTimeOut', value: '60', readonly: true },
    { key: 'GetConfigurationMaxKeys', value: '20', readonly: false },
    { key: 'MeterValuesSampledDataMaxLength', value: '5', readonly: true },
    { key: 'NumberOfConnectors', value: '2', readonly: true },
    { key: 'AcmeLedColour', value: 'blue', readonly: false },
    { key: 'MeterValueSampleInterval', value: 'often', readonly: false },
    { key: 'SecurityProfile', value: '2', readonly: false },
  ]);
  const byKey = new Map(rows.map((row) => [row.key, row]));
  assert.deepEqual(rows.map((r) => [r.key, r.status, r.apply]), [
    ['HeartbeatInterval', 'mapped', true],
    ['LocalAuthorizeOffline', 'converted', true],
    ['ConnectionTimeOut', 'read-only', false],
    ['GetConfigurationMaxKeys', 'read-only', false],
    ['MeterValuesSampledDataMaxLength', 'read-only', false],
    ['NumberOfConnectors', 'no-equivalent', false],
    ['AcmeLedColour', 'unknown-key', false],
    ['MeterValueSampleInterval', 'invalid-value', false],
    ['SecurityProfile', 'read-only', false],
  ]);
  assert.equal(byKey.get('HeartbeatInterval')?.target, 'OCPPCommCtrlr/HeartbeatInterval');
  assert.equal(byKey.get('LocalAuthorizeOffline')?.translatedValue, 'true');
  assert.equal(byKey.get('ConnectionTimeOut')?.translatedValue, '60', 'a read-only key is still translated for the report');
  assert.equal(byKey.get('GetConfigurationMaxKeys')?.target, 'DeviceDataCtrlr/ItemsPerMessage[GetVariables]');
  assert.equal(byKey.get('MeterValuesSampledDataMaxLength')?.target, 'SampledDataCtrlr/TxUpdatedMeasurands(maxLimit)');
  assert.match(byKey.get('SecurityProfile')?.note ?? '', /Read-only in 2.0.1/);
  assert.equal(byKey.get('AcmeLedColour')?.value, 'blue');
  assert.equal(byKey.get('AcmeLedColour')?.target, null);
  assert.match(byKey.get('MeterValueSampleInterval')?.note ?? '', /Cannot translate: "often" is not an integer/);
  assert.deepEqual(summarisePlan(rows), { mapped: 1, converted: 1, 'no-equivalent': 1, 'unknown-key': 1, 'invalid-value': 1, 'read-only': 4 });
});

test('planMigration: case-insensitive keys say so, duplicates are not applied twice, unset values carry nothing', () => {
  const rows = planMigration([
    { key: 'heartbeatInterval', value: '60', readonly: false },
    { key: 'HeartbeatInterval', value: '120', readonly: false },
    { key: 'LocalPreAuthorize', readonly: false },
  ]);
  assert.equal(rows[0]?.matchedKey, 'HeartbeatInterval');
  assert.match(rows[0]?.note ?? '', /case-insensitively/);
  assert.equal(rows[0]?.apply, true);
  assert.equal(rows[1]?.apply, false);
  assert.match(rows[1]?.note ?? '', /Duplicate/);
  assert.equal(rows[2]?.status, 'mapped');
  assert.equal(rows[2]?.apply, false);
  assert.match(rows[2]?.note ?? '', /No value reported/);
});

test('planMigration never shows or carries the write-only AuthorizationKey', () => {
  const secret = '0123456789abcdef0123456789abcdef';
  const row = plan1({ key: 'AuthorizationKey', value: secret, readonly: false });
  assert.equal(row.value, null);
  assert.equal(row.translatedValue, null);
  assert.equal(row.apply, false);
  assert.equal(row.target, 'SecurityCtrlr/BasicAuthPassword');
  assert.ok(!JSON.stringify(row).includes(secret));
});

test('planMigration survives hostile input', () => {
  const hostile = [
    null,
    { key: 17, value: '1', readonly: false },
    { key: 'HeartbeatInterval', value: { nested: true }, readonly: 'yes' },
    { key: 'CpoName', value: 'x'.repeat(100_000), readonly: false },
    { key: 'LocalAuthorizeOffline', value: true, readonly: false },
    { key: 'MeterValuesSampledData', value: ','.repeat(10_000), readonly: false },
  ] as unknown as ConfigEntry16[];
  const rows = planMigration(hostile);
  assert.deepEqual(rows.map((r) => r.status), ['unknown-key', 'unknown-key', 'invalid-value', 'invalid-value', 'mapped', 'converted']);
  assert.equal(rows[2]?.readonly, false);
  assert.equal(rows[4]?.translatedValue, 'true');
  assert.equal(rows[5]?.translatedValue, '');
  assert.deepEqual(planMigration('nope' as unknown as ConfigEntry16[]), []);
});

test('every mapped key translates a well-formed sample value', () => {
  const samples: Record<string, string> = {
    boolean: 'true', integer: '10', string: 'CPO', measurands: 'Energy.Active.Import.Register', 'rate-units': 'Current', 'file-transfer-protocols': 'FTP',
    'phase-rotation': '1.RST', 'security-profile': '1', password: 'ab'.repeat(16), csl: 'Core',
  };
  for (const mapping of KEY_MAPPINGS.filter((m) => m.targets.length > 0)) {
    const t = translateValue16(mapping.key, samples[mapping.rule.kind] as string);
    assert.ok(t.ok && t.assignments.length > 0, `${mapping.key} translates`);
  }
});

test('docs/migrating-16-to-201.md carries the current table (npx tsx tools/generate-migration-table.ts)', () => {
  assert.equal(currentMigrationTable(readFileSync(MIGRATION_DOC_PATH, 'utf8')), renderMigrationTable());
});

test('planMigration splits the phase rotation list into one assignment per component', () => {
  const [split, empty] = planMigration([
    { key: 'ConnectorPhaseRotation', value: '0.RST,1.TSR', readonly: false },
    { key: 'ConnectorPhaseRotation', value: '', readonly: false },
  ]);
  assert.equal(split?.status, 'converted');
  assert.equal(split?.apply, true);
  assert.deepEqual(split?.assignments.map((a) => `${formatTarget(a.target)}=${a.value}`), ['ChargingStation/PhaseRotation=RST', 'EVSE@1/PhaseRotation=TSR']);
  assert.equal(empty?.apply, false, 'nothing to set (and a duplicate)');
  assert.deepEqual(empty?.assignments, []);
});
