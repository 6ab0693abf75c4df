/**
 * Version-specific payload shapes for the messages the station originates.
 * Strings are clipped to the schema maxLength so a long --prefix never makes a message invalid.
 */
import {
  CONNECTOR_STATUS_2X, ERROR_CODES_16, STATUS_16, isV16,
  type SimBootResult, type SimBootStatus, type SimOcppVersion, type SimPayload, type SimStatusExtra,
} from './sim-types.ts';

export interface SimIdentity {
  vendor: string;
  model: string;
  serialNumber?: string | undefined;
  firmwareVersion?: string | undefined;
  iccid?: string | undefined;
  imsi?: string | undefined;
}

/** 2.0.1 BootReasonEnumType (identical in 2.1). */
export const BOOT_REASONS = [
  'ApplicationReset', 'FirmwareUpdate', 'LocalReset', 'PowerUp', 'RemoteReset',
  'ScheduledReset', 'Triggered', 'Unknown', 'Watchdog',
] as const;

function clip(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : value.slice(0, max);
}

/** Drop undefined members so strict schemas (additionalProperties: false) see only real fields. */
function compact<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}

/**
 * BootNotification request. 1.6 §4.2 BootNotification.req (flat, vendor/model max 20 chars);
 * 2.0.1 B01 BootNotificationRequest {reason, chargingStation{..., modem{iccid, imsi}}}.
 */
export function bootRequest(version: SimOcppVersion, ident: SimIdentity, reason: string): SimPayload {
  if (isV16(version)) {
    return compact({
      chargePointVendor: clip(ident.vendor, 20),
      chargePointModel: clip(ident.model, 20),
      chargePointSerialNumber: clip(ident.serialNumber, 25),
      firmwareVersion: clip(ident.firmwareVersion, 50),
      iccid: clip(ident.iccid, 20),
      imsi: clip(ident.imsi, 20),
    });
  }
  const modem = compact({ iccid: clip(ident.iccid, 20), imsi: clip(ident.imsi, 20) });
  const chargingStation = compact({
    vendorName: clip(ident.vendor, 50),
    model: clip(ident.model, 20),
    serialNumber: clip(ident.serialNumber, 25),
    firmwareVersion: clip(ident.firmwareVersion, 50),
    modem: Object.keys(modem).length > 0 ? modem : undefined,
  });
  const known = (BOOT_REASONS as readonly string[]).includes(reason);
  return { reason: known ? reason : 'Unknown', chargingStation };
}

/** Read a BootNotification response defensively: a CSMS under test may send junk. */
export function parseBootResponse(payload: SimPayload): SimBootResult {
  const status = payload.status;
  const ok: SimBootStatus[] = ['Accepted', 'Pending', 'Rejected'];
  const interval = typeof payload.interval === 'number' && Number.isFinite(payload.interval)
    ? Math.max(0, Math.floor(payload.interval)) : 0;
  return {
    status: ok.includes(status as SimBootStatus) ? (status as SimBootStatus) : 'Rejected',
    interval,
    currentTime: typeof payload.currentTime === 'string' ? payload.currentTime : '',
  };
}

const OCCUPIED_16 = new Set(['Preparing', 'Charging', 'SuspendedEVSE', 'SuspendedEV', 'Finishing']);

/**
 * Map a status name to the station's version: the 1.6 "occupied" family becomes 2.x Occupied,
 * and 2.x Occupied becomes 1.6 Preparing. Throws a TypeError for anything else unknown.
 */
export function toVersionStatus(version: SimOcppVersion, status: string): string {
  if (isV16(version)) {
    if ((STATUS_16 as readonly string[]).includes(status)) return status;
    if (status === 'Occupied') return 'Preparing';
  } else {
    if ((CONNECTOR_STATUS_2X as readonly string[]).includes(status)) return status;
    if (OCCUPIED_16.has(status)) return 'Occupied';
  }
  throw new TypeError(`Unknown connector status '${status}' for OCPP ${version}`);
}

/**
 * StatusNotification request. 1.6 §4.9 (connectorId 0 = the Charge Point as a whole, errorCode
 * required); 2.0.1 G01 StatusNotificationRequest {timestamp, connectorStatus, evseId, connectorId}.
 */
export function statusRequest(
  version: SimOcppVersion,
  evseId: number,
  connectorId: number,
  status: string,
  extra: SimStatusExtra = {},
  timestamp: string = new Date().toISOString(),
): SimPayload {
  const mapped = toVersionStatus(version, status);
  if (!isV16(version)) return { timestamp, connectorStatus: mapped, evseId, connectorId };
  const errorCode = extra.errorCode ?? (mapped === 'Faulted' ? 'OtherError' : 'NoError');
  if (!(ERROR_CODES_16 as readonly string[]).includes(errorCode)) {
    throw new TypeError(`Unknown OCPP 1.6 errorCode '${errorCode}'`);
  }
  return compact({ connectorId: evseId, errorCode, info: clip(extra.info, 50), status: mapped, timestamp });
}
