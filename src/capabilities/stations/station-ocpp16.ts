/** OCPP 1.6J <-> stations domain: BootNotification, Heartbeat, StatusNotification (OCPP 1.6 §4.2, §4.6, §4.9). */
import type { OcppHandlerTable, OcppRequest } from '../../ocpp/ocpp-handler.ts';
import { stationTime } from '../../kernel/time.ts';
import { OcppCallError } from '../../ocpp/ocpp-error-codes.ts';
import { isTopologyNumber, type BootReport, type ConnectorActivity, type ConnectorStatus, type StatusReport } from './station.ts';
import type { StationService } from './station-service.ts';

type BootNotification16 = OcppRequest<'1.6', 'BootNotification'>;
type StatusNotification16 = OcppRequest<'1.6', 'StatusNotification'>;

export function bootReportFrom16(req: BootNotification16): BootReport {
  return {
    identity: {
      vendor: req.chargePointVendor,
      model: req.chargePointModel,
      // chargeBoxSerialNumber is deprecated in 1.6 but still sent by older firmware.
      serialNumber: req.chargePointSerialNumber ?? req.chargeBoxSerialNumber ?? null,
      firmwareVersion: req.firmwareVersion ?? null,
      iccid: req.iccid ?? null,
      imsi: req.imsi ?? null,
    },
    // 1.6 has no boot reason.
    reason: null,
  };
}

/**
 * OCPP 1.6 ChargePointStatus -> the neutral status and, for an occupied connector,
 * what goes on there. An unknown status (the schema allows none) counts as Faulted.
 */
const OCPP16_STATUS: Record<string, [ConnectorStatus, ConnectorActivity | null]> = {
  Available: ['Available', null],
  Preparing: ['Occupied', 'preparing'],
  Charging: ['Occupied', 'charging'],
  SuspendedEVSE: ['Occupied', 'suspended-by-station'],
  SuspendedEV: ['Occupied', 'suspended-by-ev'],
  Finishing: ['Occupied', 'finishing'],
  Reserved: ['Reserved', null],
  Unavailable: ['Unavailable', null],
  Faulted: ['Faulted', null],
};

export function statusFromOcpp16(status: string): ConnectorStatus {
  return OCPP16_STATUS[status]?.[0] ?? 'Faulted';
}

export function activityFromOcpp16(status: string): ConnectorActivity | null {
  return OCPP16_STATUS[status]?.[1] ?? null;
}

/** 1.6 connector N is modelled as EVSE N with one connector; connector 0 is the station itself. */
export function statusReportFrom16(req: StatusNotification16, receivedAt: Date): StatusReport {
  const isStation = req.connectorId === 0;
  const vendorDetail = [req.vendorId, req.vendorErrorCode].filter(Boolean).join(':');
  return {
    evseId: req.connectorId,
    connectorId: isStation ? 0 : 1,
    status: statusFromOcpp16(req.status),
    activity: activityFromOcpp16(req.status),
    ocppStatus: req.status,
    errorCode: req.errorCode === 'NoError' ? null : req.errorCode,
    info: [req.info, vendorDetail].filter(Boolean).join(' ') || null,
    // A missing, unparseable or absurd station timestamp falls back to the time we received it.
    reportedAt: stationTime(req.timestamp, receivedAt),
  };
}

export function stationHandlers16(service: StationService): OcppHandlerTable<'1.6'> {
  return {
    version: '1.6',
    owner: 'stations',
    handlers: {
      BootNotification: async (ctx, req) => {
        const decision = await service.boot(ctx.stationId, ctx.version, bootReportFrom16(req), ctx.receivedAt);
        return { status: decision.status, currentTime: ctx.receivedAt.toISOString(), interval: decision.intervalSec };
      },
      Heartbeat: (ctx) => ({ currentTime: ctx.receivedAt.toISOString() }),
      StatusNotification: async (ctx, req) => {
        if (!isTopologyNumber(req.connectorId)) throw new OcppCallError('PropertyConstraintViolation', `connectorId ${req.connectorId} is out of range`);
        await service.reportStatus(ctx.stationId, statusReportFrom16(req, ctx.receivedAt), ctx.receivedAt);
        return {};
      },
    },
  };
}
