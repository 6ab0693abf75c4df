/**
 * OCPP 1.6 <-> station events: the core profile's DiagnosticsStatusNotification and
 * FirmwareStatusNotification, and the security extension's SecurityEventNotification,
 * SignCertificate, LogStatusNotification and SignedFirmwareStatusNotification. All are
 * kept as events; firmware and certificates get their behaviour from later capabilities.
 */
import type { OcppCallContext, OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { stationTime } from '../../kernel/time.ts';
import { summarise, type StationEventKind, type StationEventReport } from './station-event.ts';
import type { StationEventService } from './station-event-service.ts';

/** A station-wide event the message dates by its own arrival (1.6 status notifications carry no time). */
function stationWide(kind: StationEventKind, type: string, at: Date, detail: Record<string, unknown>, extra: Partial<StationEventReport> = {}): StationEventReport {
  return { kind, type, at, problem: false, cleared: false, evseId: null, connectorId: null, summary: summarise([type]), detail, ...extra };
}

const from = (ctx: OcppCallContext) => ({ stationId: ctx.stationId, tenantId: ctx.tenantId, receivedAt: ctx.receivedAt });

export function stationEventHandlers16(service: StationEventService): OcppHandlerTable<'1.6'> {
  return {
    version: '1.6',
    owner: 'station-events',
    handlers: {
      DiagnosticsStatusNotification: async (ctx, req) => {
        await service.record(from(ctx), [stationWide('log-status', req.status, ctx.receivedAt, { ...req, logType: 'Diagnostics' })]);
        return {};
      },
      FirmwareStatusNotification: async (ctx, req) => {
        await service.record(from(ctx), [stationWide('firmware-status', req.status, ctx.receivedAt, { ...req })]);
        return {};
      },
      LogStatusNotification: async (ctx, req) => {
        const requestId = req.requestId;
        await service.record(from(ctx), [stationWide('log-status', req.status, ctx.receivedAt, { ...req }, requestId === undefined ? {} : { requestId })]);
        return {};
      },
      SignedFirmwareStatusNotification: async (ctx, req) => {
        const requestId = req.requestId;
        await service.record(from(ctx), [stationWide('firmware-status', req.status, ctx.receivedAt, { ...req, signed: true }, requestId === undefined ? {} : { requestId })]);
        return {};
      },
      SecurityEventNotification: async (ctx, req) => {
        const at = stationTime(req.timestamp, ctx.receivedAt);
        await service.record(from(ctx), [{ ...stationWide('security', req.type, at, { ...req }), summary: summarise([req.type, req.techInfo]) }]);
        return {};
      },
      SignCertificate: async (ctx, req) => {
        const willSign = await service.requestCertificate(from(ctx), stationWide('certificate-signing-request', 'ChargePointCertificate', ctx.receivedAt, { ...req }));
        return { status: willSign ? 'Accepted' : 'Rejected' };
      },
    },
  };
}
