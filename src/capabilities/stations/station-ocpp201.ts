/** OCPP 2.0.1 <-> stations domain: BootNotification (B01-B03), Heartbeat (G02), StatusNotification (G01). */
import type { OcppHandlerTable, OcppRequest, OcppSharedHandlers } from '../../ocpp/ocpp-handler.ts';
import { stationTime } from '../../kernel/time.ts';
import { OcppCallError } from '../../ocpp/ocpp-error-codes.ts';
import { isTopologyNumber, type BootReport, type StatusReport } from './station.ts';
import type { StationService } from './station-service.ts';

export type Ocpp2x = '2.0.1' | '2.1';
type BootNotification2x = OcppRequest<'2.0.1', 'BootNotification'> | OcppRequest<'2.1', 'BootNotification'>;
type StatusNotification2x = OcppRequest<'2.0.1', 'StatusNotification'> | OcppRequest<'2.1', 'StatusNotification'>;

export function bootReportFrom2x(req: BootNotification2x): BootReport {
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

export function statusReportFrom2x(req: StatusNotification2x, receivedAt: Date): StatusReport {
  return {
    evseId: req.evseId,
    connectorId: req.connectorId,
    status: req.connectorStatus,
    // 2.x says what goes on at the connector in TransactionEvent.chargingState, not here.
    activity: null,
    ocppStatus: req.connectorStatus,
    errorCode: null,
    info: null,
    reportedAt: stationTime(req.timestamp, receivedAt),
  };
}

/** The 2.0.1 handlers; OCPP 2.1 keeps these three messages' shapes, so station-ocpp21.ts reuses them. */
export function stationHandlers2x(service: StationService): OcppSharedHandlers<Ocpp2x, 'BootNotification' | 'Heartbeat' | 'StatusNotification'> {
  return {
    BootNotification: async (ctx, req) => {
      const decision = await service.boot(ctx.stationId, ctx.version, bootReportFrom2x(req), ctx.receivedAt);
      return { status: decision.status, currentTime: ctx.receivedAt.toISOString(), interval: decision.intervalSec };
    },
    Heartbeat: (ctx) => ({ currentTime: ctx.receivedAt.toISOString() }),
    StatusNotification: async (ctx, req) => {
      if (!isTopologyNumber(req.evseId) || !isTopologyNumber(req.connectorId)) {
        throw new OcppCallError('PropertyConstraintViolation', `evseId ${req.evseId} / connectorId ${req.connectorId} out of range`);
      }
      await service.reportStatus(ctx.stationId, statusReportFrom2x(req, ctx.receivedAt), ctx.receivedAt);
      return {};
    },
  };
}

export function stationHandlers201(service: StationService): OcppHandlerTable<'2.0.1'> {
  return { version: '2.0.1', owner: 'stations', handlers: stationHandlers2x(service) };
}
