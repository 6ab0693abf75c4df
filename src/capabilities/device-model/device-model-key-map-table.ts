/**
 * The table: every standard OCPP 1.6 configuration key and its OCPP 2.0.1 component/variable.
 *
 * Keys: OCPP 1.6 edition 2 chapter 9 (Core, Local Auth List Management, Reservation, Smart
 * Charging; Firmware Management and Remote Trigger define none there), SupportedFileTransferProtocols
 * (1.6 edition 2 chapter 8 and the security whitepaper), and the security whitepaper edition 2
 * chapter 7. Targets were read in the documents named by `source` (SOURCES below). Targets are
 * written "Component/Variable[instance]" and parsed by device-model-key-map.ts; `to: []` means
 * 2.0.1 has no equivalent. `characteristic: 'maxLimit'` means the 1.6 value is reported in 2.0.1
 * as that variable's maxLimit characteristic, not as a value (never set by the CSMS).
 */
import type { ValueRule } from './device-model-key-map-values.ts';

export type Profile16 = 'Core' | 'LocalAuthListManagement' | 'Reservation' | 'SmartCharging' | 'FirmwareManagement' | 'Security';
export type Access16 = 'R' | 'RW' | 'R or RW' | 'W';
export type SourceId = 'A3' | 'P4' | 'P6' | 'X21' | 'none';

export interface KeyMapRow {
  key: string;
  profile: Profile16;
  access: Access16;
  rule: ValueRule;
  unit?: string;
  to: readonly string[];
  characteristic?: 'maxLimit';
  /** The 2.0.1 target is ReadOnly by specification: the value is reported, never set. */
  targetReadOnly?: true;
  /** Write-only secret: never shown in a report, never carried by a plan. */
  secret?: true;
  source: SourceId;
  note: string;
}

export const SOURCES: Record<SourceId, string> = {
  A3: 'OCPP 2.0.1 Part 2 Appendices v1.3, appendix 3 (standardized components)',
  P4: 'OCPP 2.0.1 Part 4 (OCPP-J), chapter 8 (configuration)',
  P6: 'OCPP 2.0.1 Part 6 Test Cases, required components/variables table',
  X21:
    'variable name from OCPP 2.1 Part 2 Appendices v2.0 chapter 4 (same description as the 1.6 key); component SecurityCtrlr as for the other certificate variables — the 2.0.1 Part 2 specification was not available to confirm it',
  none: 'no 2.0.1 equivalent found in the appendices, Part 4 or Part 6',
};

const BOOLEAN: ValueRule = { kind: 'boolean' };
const COUNT: ValueRule = { kind: 'integer', min: 0 };
const MEASURANDS: ValueRule = { kind: 'measurands' };

export const KEY_MAP_ROWS: readonly KeyMapRow[] = [
  // --- Core profile (1.6 edition 2, 9.1) ---
  { key: 'AllowOfflineTxForUnknownId', profile: 'Core', access: 'RW', rule: BOOLEAN, to: ['AuthCtrlr/OfflineTxForUnknownIdEnabled'], source: 'A3', note: 'Renamed; same meaning.' },
  { key: 'AuthorizationCacheEnabled', profile: 'Core', access: 'RW', rule: BOOLEAN, to: ['AuthCacheCtrlr/Enabled'], source: 'A3', note: 'Same meaning; AuthCacheCtrlr.Available tells whether a cache exists at all.' },
  { key: 'AuthorizeRemoteTxRequests', profile: 'Core', access: 'R or RW', rule: BOOLEAN, to: ['AuthCtrlr/AuthorizeRemoteStart'], source: 'A3', note: 'Renamed; applies to RequestStartTransaction in 2.0.1. Read-only or read-write as the station chooses, in both versions.' },
  { key: 'BlinkRepeat', profile: 'Core', access: 'RW', rule: COUNT, unit: 'times', to: [], source: 'none', note: 'No blink count in 2.0.1; lighting is modelled as BeaconLighting/EnvironmentalLighting components (Enabled, Active, Percent, Color).' },
  { key: 'ClockAlignedDataInterval', profile: 'Core', access: 'RW', rule: COUNT, unit: 's', to: ['AlignedDataCtrlr/Interval', 'AlignedDataCtrlr/TxEndedInterval'], source: 'A3', note: 'Seconds in both. 1.6 used one interval for MeterValues and StopTxnAlignedData; 2.0.1 splits it, so both get the value. 0 disabled clock-aligned data in 1.6.' },
  { key: 'ConnectionTimeOut', profile: 'Core', access: 'RW', rule: COUNT, unit: 's', to: ['TxCtrlr/EVConnectionTimeOut'], source: 'A3', note: 'Seconds in both, but 1.6 counts from status Preparing and 2.0.1 from the "start" of a transaction (token presented, start button, remote start).' },
  { key: 'ConnectorPhaseRotation', profile: 'Core', access: 'RW', rule: { kind: 'phase-rotation' }, to: ['ChargingStation/PhaseRotation', 'EVSE/PhaseRotation'], source: 'A3', note: 'The 1.6 list "0.RST, 1.RST, 2.RTS" becomes one PhaseRotation per component: index 0 -> ChargingStation, connector n -> EVSE n (assumes 1.6 connector n became EVSE n). NotApplicable/Unknown -> empty string.' },
  { key: 'ConnectorPhaseRotationMaxLength', profile: 'Core', access: 'R', rule: COUNT, to: [], source: 'none', note: 'No list in 2.0.1: each component reports its own PhaseRotation.' },
  { key: 'GetConfigurationMaxKeys', profile: 'Core', access: 'R', rule: COUNT, to: ['DeviceDataCtrlr/ItemsPerMessage[GetVariables]'], targetReadOnly: true, source: 'P6', note: 'Maximum variables per GetVariables request; the station reports it.' },
  { key: 'HeartbeatInterval', profile: 'Core', access: 'RW', rule: COUNT, unit: 's', to: ['OCPPCommCtrlr/HeartbeatInterval'], source: 'A3', note: 'Seconds in both; the boot answer\'s interval also sets it in both versions.' },
  { key: 'LightIntensity', profile: 'Core', access: 'RW', rule: { kind: 'integer', min: 0, max: 100 }, unit: '%', to: [], source: 'none', note: 'No station-wide setting in 2.0.1; the closest are BeaconLighting.Percent / EnvironmentalLighting.Percent, per lighting component the station reports.' },
  { key: 'LocalAuthorizeOffline', profile: 'Core', access: 'RW', rule: BOOLEAN, to: ['AuthCtrlr/LocalAuthorizeOffline'], source: 'A3', note: 'Same name and meaning.' },
  { key: 'LocalPreAuthorize', profile: 'Core', access: 'RW', rule: BOOLEAN, to: ['AuthCtrlr/LocalPreAuthorize'], source: 'A3', note: 'Same name and meaning.' },
  { key: 'MaxEnergyOnInvalidId', profile: 'Core', access: 'RW', rule: COUNT, unit: 'Wh', to: ['TxCtrlr/MaxEnergyOnInvalidId'], source: 'A3', note: 'Wh in both.' },
  { key: 'MeterValuesAlignedData', profile: 'Core', access: 'RW', rule: MEASURANDS, to: ['AlignedDataCtrlr/Measurands'], source: 'A3', note: 'CSL -> MemberList: same measurand names; phase suffixes (Voltage.L1) and Temperature/RPM (not 2.0.1 measurands) are dropped.' },
  { key: 'MeterValuesAlignedDataMaxLength', profile: 'Core', access: 'R', rule: COUNT, to: ['AlignedDataCtrlr/Measurands'], characteristic: 'maxLimit', source: 'P6', note: 'Reported as the maxLimit characteristic of the list.' },
  { key: 'MeterValuesSampledData', profile: 'Core', access: 'RW', rule: MEASURANDS, to: ['SampledDataCtrlr/TxUpdatedMeasurands'], source: 'A3', note: 'Measurands of the periodic transaction samples. 2.0.1 also has TxStartedMeasurands (none in 1.6: StartTransaction carried only meterStart).' },
  { key: 'MeterValuesSampledDataMaxLength', profile: 'Core', access: 'R', rule: COUNT, to: ['SampledDataCtrlr/TxUpdatedMeasurands'], characteristic: 'maxLimit', source: 'P6', note: 'Reported as the maxLimit characteristic of the list.' },
  { key: 'MeterValueSampleInterval', profile: 'Core', access: 'RW', rule: COUNT, unit: 's', to: ['SampledDataCtrlr/TxUpdatedInterval', 'SampledDataCtrlr/TxEndedInterval'], source: 'A3', note: 'Seconds in both. 1.6 sampled MeterValues and StopTxnSampledData at this one interval; 2.0.1 splits it, so both get the value. 0 disabled sampling in 1.6.' },
  { key: 'MinimumStatusDuration', profile: 'Core', access: 'RW', rule: COUNT, unit: 's', to: ['OCPPCommCtrlr/MinimumStatusDuration'], source: 'A3', note: 'Seconds in both.' },
  { key: 'NumberOfConnectors', profile: 'Core', access: 'R', rule: COUNT, to: [], source: 'none', note: 'No variable: 2.0.1 describes the topology as EVSE and Connector components in the device model report.' },
  { key: 'ResetRetries', profile: 'Core', access: 'RW', rule: COUNT, unit: 'times', to: ['OCPPCommCtrlr/ResetRetries'], source: 'P6', note: 'Same meaning.' },
  { key: 'StopTransactionOnEVSideDisconnect', profile: 'Core', access: 'RW', rule: BOOLEAN, to: ['TxCtrlr/StopTxOnEVSideDisconnect'], source: 'A3', note: 'Renamed; same meaning (2.0.1 TxStopPoint also governs when a transaction ends).' },
  { key: 'StopTransactionOnInvalidId', profile: 'Core', access: 'RW', rule: BOOLEAN, to: ['TxCtrlr/StopTxOnInvalidId'], source: 'A3', note: 'Renamed; the invalid status now comes in the transaction event answer.' },
  { key: 'StopTxnAlignedData', profile: 'Core', access: 'RW', rule: MEASURANDS, to: ['AlignedDataCtrlr/TxEndedMeasurands'], source: 'A3', note: 'Measurands of the transaction\'s end report; same list rules as MeterValuesAlignedData.' },
  { key: 'StopTxnAlignedDataMaxLength', profile: 'Core', access: 'R', rule: COUNT, to: ['AlignedDataCtrlr/TxEndedMeasurands'], characteristic: 'maxLimit', source: 'P6', note: 'Reported as the maxLimit characteristic of the list.' },
  { key: 'StopTxnSampledData', profile: 'Core', access: 'RW', rule: MEASURANDS, to: ['SampledDataCtrlr/TxEndedMeasurands'], source: 'A3', note: 'Measurands of the transaction\'s end report; same list rules as MeterValuesSampledData.' },
  { key: 'StopTxnSampledDataMaxLength', profile: 'Core', access: 'R', rule: COUNT, to: ['SampledDataCtrlr/TxEndedMeasurands'], characteristic: 'maxLimit', source: 'P6', note: 'Reported as the maxLimit characteristic of the list.' },
  { key: 'SupportedFeatureProfiles', profile: 'Core', access: 'R', rule: { kind: 'csl' }, to: [], source: 'none', note: 'No profile list in 2.0.1: each controller reports Available/Enabled (e.g. ReservationCtrlr.Available, SmartChargingCtrlr.Available, LocalAuthListCtrlr.Available).' },
  { key: 'SupportedFeatureProfilesMaxLength', profile: 'Core', access: 'R', rule: COUNT, to: [], source: 'none', note: 'No profile list in 2.0.1.' },
  { key: 'TransactionMessageAttempts', profile: 'Core', access: 'RW', rule: COUNT, unit: 'times', to: ['OCPPCommCtrlr/MessageAttempts[TransactionEvent]'], source: 'P6', note: 'Renamed; the instance names the transaction message.' },
  { key: 'TransactionMessageRetryInterval', profile: 'Core', access: 'RW', rule: COUNT, unit: 's', to: ['OCPPCommCtrlr/MessageAttemptInterval[TransactionEvent]'], source: 'P6', note: 'Seconds in both; renamed.' },
  { key: 'UnlockConnectorOnEVSideDisconnect', profile: 'Core', access: 'RW', rule: BOOLEAN, to: ['OCPPCommCtrlr/UnlockOnEVSideDisconnect'], source: 'A3', note: 'Renamed and moved to OCPPCommCtrlr; read-only (false) on EVSEs with fixed cables only.' },
  { key: 'WebSocketPingInterval', profile: 'Core', access: 'RW', rule: COUNT, unit: 's', to: ['OCPPCommCtrlr/WebSocketPingInterval'], source: 'P4', note: 'Seconds in both; 0 disables client pings, negative values are not allowed.' },
  // --- Local Auth List Management profile (9.2) ---
  { key: 'LocalAuthListEnabled', profile: 'LocalAuthListManagement', access: 'RW', rule: BOOLEAN, to: ['LocalAuthListCtrlr/Enabled'], source: 'A3', note: 'Same meaning.' },
  { key: 'LocalAuthListMaxLength', profile: 'LocalAuthListManagement', access: 'R', rule: COUNT, to: ['LocalAuthListCtrlr/Entries'], characteristic: 'maxLimit', source: 'A3', note: 'Reported as the maxLimit characteristic of LocalAuthListCtrlr.Entries (whose value is the current count).' },
  { key: 'SendLocalListMaxLength', profile: 'LocalAuthListManagement', access: 'R', rule: COUNT, to: ['LocalAuthListCtrlr/ItemsPerMessage'], source: 'A3', note: 'Identifiers per local list update message; LocalAuthListCtrlr.BytesPerMessage adds a size limit.' },
  // --- Reservation profile (9.3) ---
  { key: 'ReserveConnectorZeroSupported', profile: 'Reservation', access: 'R', rule: BOOLEAN, to: ['ReservationCtrlr/NonEvseSpecific'], source: 'A3', note: 'Reserving connector 0 in 1.6 = a reservation without an EVSE in 2.0.1.' },
  // --- Smart Charging profile (9.4) ---
  { key: 'ChargeProfileMaxStackLevel', profile: 'SmartCharging', access: 'R', rule: COUNT, to: ['SmartChargingCtrlr/ProfileStackLevel'], source: 'A3', note: 'Same meaning (maximum stackLevel).' },
  { key: 'ChargingScheduleAllowedChargingRateUnit', profile: 'SmartCharging', access: 'R', rule: { kind: 'rate-units' }, to: ['SmartChargingCtrlr/RateUnit'], source: 'A3', note: 'Values rewritten: Current -> A, Power -> W.' },
  { key: 'ChargingScheduleMaxPeriods', profile: 'SmartCharging', access: 'R', rule: COUNT, to: ['SmartChargingCtrlr/PeriodsPerSchedule'], source: 'A3', note: 'Same meaning.' },
  { key: 'ConnectorSwitch3to1PhaseSupported', profile: 'SmartCharging', access: 'R', rule: BOOLEAN, to: ['SmartChargingCtrlr/Phases3to1'], source: 'A3', note: 'Same meaning.' },
  { key: 'MaxChargingProfilesInstalled', profile: 'SmartCharging', access: 'R', rule: COUNT, to: ['SmartChargingCtrlr/Entries[ChargingProfiles]'], characteristic: 'maxLimit', source: 'P6', note: 'Reported as the maxLimit characteristic of SmartChargingCtrlr.Entries[ChargingProfiles] (whose value is the current count).' },
  // --- Firmware Management (1.6 edition 2 chapter 8; security whitepaper) ---
  { key: 'SupportedFileTransferProtocols', profile: 'FirmwareManagement', access: 'R or RW', rule: { kind: 'file-transfer-protocols' }, to: ['OCPPCommCtrlr/FileTransferProtocols'], targetReadOnly: true, source: 'P6', note: 'CSL -> MemberList; 2.0.1 adds SFTP. 1.6 leaves the access open ("controlled by" / "reports"); read-only in 2.0.1.' },
  // --- Security whitepaper edition 2, chapter 7 ---
  { key: 'AdditionalRootCertificateCheck', profile: 'Security', access: 'R', rule: BOOLEAN, to: ['SecurityCtrlr/AdditionalRootCertificateCheck'], source: 'X21', note: 'Same meaning (one CSMS root certificate plus a fallback).' },
  { key: 'AuthorizationKey', profile: 'Security', access: 'W', rule: { kind: 'password' }, to: ['SecurityCtrlr/BasicAuthPassword'], secret: true, source: 'A3', note: 'Write-only in both. 1.6: 16-20 bytes as 32-40 hex digits; 2.0.1: a 16-40 character string sent as UTF-8 text. Never read back: set it through the station password flow.' },
  { key: 'CertificateSignedMaxChainSize', profile: 'Security', access: 'R', rule: { kind: 'integer', min: 0, max: 10000 }, to: ['SecurityCtrlr/MaxCertificateChainSize'], source: 'X21', note: 'Same meaning (size limit of the certificate chain field).' },
  { key: 'CertificateStoreMaxLength', profile: 'Security', access: 'R', rule: COUNT, to: ['SecurityCtrlr/CertificateEntries'], characteristic: 'maxLimit', source: 'P6', note: 'Reported as the maxLimit characteristic of SecurityCtrlr.CertificateEntries (whose value is the current count).' },
  { key: 'CpoName', profile: 'Security', access: 'RW', rule: { kind: 'string' }, to: ['SecurityCtrlr/OrganizationName'], source: 'A3', note: 'Renamed; the organisation name put in the station certificate\'s signing request.' },
  { key: 'SecurityProfile', profile: 'Security', access: 'RW', rule: { kind: 'security-profile' }, to: ['SecurityCtrlr/SecurityProfile'], targetReadOnly: true, source: 'P6', note: 'Read-only in 2.0.1: the profile changes through a network connection profile, not a variable. 1.6 value 0 (none) has no 2.0.1 equivalent.' },
];
