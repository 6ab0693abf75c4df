/**
 * Shared types and constants of the Chargebridge charging-station simulator.
 * Nothing here touches the network; it is the vocabulary the other sim- files share.
 */

export type SimOcppVersion = '1.6' | '2.0.1' | '2.1';

/** Connection / registration state of one simulated station. */
export type SimState = 'disconnected' | 'connecting' | 'open' | 'accepted' | 'pending' | 'rejected';

/** RegistrationStatus of a BootNotification response (1.6 RegistrationStatus, 2.0.1 RegistrationStatusEnumType). */
export type SimBootStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface SimBootResult {
  status: SimBootStatus;
  /** Seconds: heartbeat interval when Accepted, otherwise the minimum wait before the next BootNotification. */
  interval: number;
  currentTime: string;
}

/** OCPP 1.6 ChargePointStatus. */
export const STATUS_16 = [
  'Available', 'Preparing', 'Charging', 'SuspendedEVSE', 'SuspendedEV',
  'Finishing', 'Reserved', 'Unavailable', 'Faulted',
] as const;
export type SimStatus16 = (typeof STATUS_16)[number];

/** OCPP 2.0.1 / 2.1 ConnectorStatusEnumType. */
export const CONNECTOR_STATUS_2X = ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'] as const;
export type SimConnectorStatus2x = (typeof CONNECTOR_STATUS_2X)[number];

/** Any status name setStatus() understands; it is mapped to the station's version (see sim-messages.ts). */
export type SimConnectorStatus = SimStatus16 | SimConnectorStatus2x;

/** OCPP 1.6 ChargePointErrorCode. */
export const ERROR_CODES_16 = [
  'ConnectorLockFailure', 'EVCommunicationError', 'GroundFailure', 'HighTemperature', 'InternalError',
  'LocalListConflict', 'NoError', 'OtherError', 'OverCurrentFailure', 'PowerMeterFailure',
  'PowerSwitchFailure', 'ReaderFailure', 'ResetFailure', 'UnderVoltage', 'OverVoltage', 'WeakSignal',
] as const;
export type SimErrorCode16 = (typeof ERROR_CODES_16)[number];

/** 1.6 Reason (§7.40). */
export const STOP_REASONS_16 = [
  'EmergencyStop', 'EVDisconnected', 'HardReset', 'Local', 'Other', 'PowerLoss', 'Reboot', 'Remote',
  'SoftReset', 'UnlockCommand', 'DeAuthorized',
] as const;

/** 2.0.1 ReasonEnumType (2.1 adds ReqEnergyTransferRejected). */
export const STOP_REASONS_2X = [
  'DeAuthorized', 'EmergencyStop', 'EnergyLimitReached', 'EVDisconnected', 'GroundFault', 'ImmediateReset',
  'Local', 'LocalOutOfCredit', 'MasterPass', 'Other', 'OvercurrentFault', 'PowerLoss', 'PowerQuality', 'Reboot',
  'Remote', 'SOCLimitReached', 'StoppedByEV', 'TimeLimitReached', 'Timeout',
] as const;

/** Any stop reason of either version; it is translated to the station's version. */
export type SimStopReason = (typeof STOP_REASONS_16)[number] | (typeof STOP_REASONS_2X)[number];

export interface SimStatusExtra {
  /** 1.6 only: ChargePointErrorCode. Default 'NoError', or 'OtherError' when the status is Faulted. */
  errorCode?: SimErrorCode16;
  /** 1.6 only: free text, max 50 characters. */
  info?: string;
}

export interface SimStationOptions {
  /** Base endpoint, e.g. ws://127.0.0.1:8080/ocpp; the station id is appended as /ID (URL-encoded). */
  url: string;
  id: string;
  version: SimOcppVersion;
  /** When set, HTTP Basic auth "id:password" on the upgrade (OCPP security profile 1). */
  password?: string;
  /** Number of EVSEs, default 1. For 1.6 each EVSE is one connector (connectorId = EVSE index). */
  evses?: number;
  /** Connectors per EVSE, default 1 (2.0.1 / 2.1 only). */
  connectorsPerEvse?: number;
  vendor?: string;
  model?: string;
  serialNumber?: string;
  firmwareVersion?: string;
  iccid?: string;
  imsi?: string;
  /** 2.x BootNotification reason for the first boot, default 'PowerUp'. */
  bootReason?: string;
  /** Default true: boot, report every connector, heartbeat; retry boot while Pending/Rejected. */
  autoBoot?: boolean;
  /** Default true: send Heartbeat at the interval the CSMS returned. */
  heartbeats?: boolean;
  /** Default {minMs: 1000, maxMs: 60000}: exponential backoff with jitter after a lost connection. */
  reconnect?: false | { minMs?: number; maxMs?: number };
  /** Per-CALL timeout, default 30000 ms. */
  callTimeoutMs?: number;
  /** Fixed delay before re-sending BootNotification after Pending/Rejected. Default: the interval the CSMS returned, at least 1 s. */
  bootRetryMs?: number;
  /** Delay between the socket closing for a Reset and reconnecting, default 500 ms. */
  resetDelayMs?: number;
  /** WebSocket opening-handshake timeout, default 10000 ms. */
  handshakeTimeoutMs?: number;
  /** Optional debug sink, one line per event / frame. */
  log?: (line: string) => void;
  /** How meter readings are written (unit, decimals, 2.x multiplier, rounding); see SimMeterHabits in sim-meter.ts. */
  meterHabits?: Partial<SimMeterHabits>;
}

/**
 * How a station writes its energy register, as real meters do (the habits that make a stop reading
 * differ from the last sample by a rounding): `station.meterHabits`, CLI `--meter-*`.
 */
export interface SimMeterHabits {
  /** Unit of sampled energy values (default Wh); many stations report kWh with a few decimals. */
  energyUnit: 'Wh' | 'kWh';
  /** Decimals of sampled energy values in that unit (default 0). */
  decimals: number;
  /** Decimals of the Transaction.End reading (2.x Ended, 1.6 transactionData); null: same as `decimals`. */
  stopDecimals: number | null;
  /** 2.x only: unitOfMeasure.multiplier; the value sent is the reading / 10^multiplier (default 0). */
  multiplier: number;
  /** How digits are dropped: rounded (default) or truncated, including the 1.6 integer meterStart/meterStop. */
  rounding: 'round' | 'truncate';
}


/**
 * Error raised by the simulator. `code` is the OCPP-J CALLERROR code when the CSMS answered with one,
 * or one of the simulator's own codes: Timeout, ConnectionClosed, NotAccepted, NotConnected,
 * HandshakeRefused, ConnectFailed, Stopped.
 */
export class SimError extends Error {
  readonly code: string;
  readonly details?: unknown;
  /** HTTP status of a refused WebSocket upgrade (HandshakeRefused). */
  readonly statusCode?: number;

  constructor(code: string, message: string, extra: { details?: unknown; statusCode?: number } = {}) {
    super(message);
    this.name = 'SimError';
    this.code = code;
    if (extra.details !== undefined) this.details = extra.details;
    if (extra.statusCode !== undefined) this.statusCode = extra.statusCode;
  }
}

/** WebSocket subprotocol for a version (OCPP-J 1.6 §3.1.2, 2.0.1 Part 4 §3.1.2). */
export function subprotocolOf(version: SimOcppVersion): string {
  return `ocpp${version}`;
}

export function isV16(version: SimOcppVersion): boolean {
  return version === '1.6';
}

/** JSON object as carried in OCPP payloads. */
export type SimPayload = Record<string, unknown>;
