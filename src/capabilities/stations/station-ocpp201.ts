/** OCPP 2.0.1 <-> stations domain: BootNotification (B01-B03), Heartbeat (G02), StatusNotification (G01). */
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { stationTime } from '../../kernel/time.ts';
import { OcppCallError } from '../../ocpp/ocpp-error-codes.ts';
import { isTopologyNumber, type BootReport, type ConnectorStatus, type StatusReport } from './station.ts';
import type { StationService } from './station-service.ts';

export interface BootNotification201 {
  reason: string;
  chargingStation: {
    vendorName: string;
    model: string;
    serialNumber?: string;
    firmwareVersion?: string;
    modem?: { iccid?: string; imsi?: string };
  };
}

export interface StatusNotification201 {
  timestamp: string;
  connectorStatus: ConnectorStatus;
  evseId: number;
  connectorId: number;
}

export function bootReportFrom201(req: BootNotification201): BootReport {
  const cs = req.chargingStation;
  return {
    identity: {
      vendor: cs.vendorName,
      model: cs.model,
      serialNumber: cs.serialNumber ?? null,
      firmwareVersion: cs.firmwareVersion ?? null,
      iccid: cs.modem?.iccid ?? null,
      imsi: cs.modem?.imsi ?? null,
    },
    reason: req.reason,
  };
}

export function statusReportFrom201(req: StatusNotification201, receivedAt: Date): StatusReport {
  return {
    evseId: req.evseId,
    connectorId: req.connectorId,
    status: req.connectorStatus,
    ocppStatus: req.connectorStatus,
    errorCode: null,
    info: null,
    reportedAt: stationTime(req.timestamp, receivedAt),
  };
}

/** The 2.0.1 table; OCPP 2.1 keeps these three messages' shapes, so station-ocpp21.ts reuses it. */
export function stationHandlers2x(service: StationService, version: OcppVersion): OcppHandlerTable {
  return {
    version,
    owner: 'stations',
    handlers: {
      BootNotification: async (ctx, req: BootNotification201) => {
        const decision = await service.boot(ctx.stationId, ctx.version, bootReportFrom201(req), ctx.receivedAt);
        return { status: decision.status, currentTime: ctx.receivedAt.toISOString(), interval: decision.intervalSec };
      },
      Heartbeat: (ctx) => ({ currentTime: ctx.receivedAt.toISOString() }),
      StatusNotification: async (ctx, req: StatusNotification201) => {
        if (!isTopologyNumber(req.evseId) || !isTopologyNumber(req.connectorId)) {
          throw new OcppCallError('PropertyConstraintViolation', `evseId ${req.evseId} / connectorId ${req.connectorId} out of range`);
        }
        await service.reportStatus(ctx.stationId, statusReportFrom201(req, ctx.receivedAt), ctx.receivedAt);
        return {};
      },
    },
  };
}

export function stationHandlers201(service: StationService): OcppHandlerTable {
  return stationHandlers2x(service, '2.0.1');
}
