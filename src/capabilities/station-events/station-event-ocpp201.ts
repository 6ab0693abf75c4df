/**
 * OCPP 2.0.1 <-> station events: security events (A04), device events and faults
 * (N07 NotifyEvent), firmware and log progress (L01, L03/L04, N01), certificate
 * requests (A02/A03, M02, M06), charging limits and EV charging needs (K11-K17),
 * reported charging profiles (K09), and meter values outside transactions (J01).
 * OCPP 2.1 keeps these shapes (a few enums became strings), so station-event-ocpp21.ts
 * serves the same handlers.
 */
import type { OcppCallContext, OcppHandlerTable, OcppRequest, OcppSharedHandlers } from '../../ocpp/ocpp-handler.ts';
import { stationTime } from '../../kernel/time.ts';
import { problemReading, summarise, type StationEventKind, type StationEventReport, type StationMeterSample } from './station-event.ts';
import { samplesFrom2x } from '../transactions/index.ts';
import type { StationEventService } from './station-event-service.ts';

export type Ocpp2x = '2.0.1' | '2.1';
type Actions =
  | 'SecurityEventNotification'
  | 'NotifyEvent'
  | 'FirmwareStatusNotification'
  | 'PublishFirmwareStatusNotification'
  | 'LogStatusNotification'
  | 'SignCertificate'
  | 'Get15118EVCertificate'
  | 'GetCertificateStatus'
  | 'NotifyChargingLimit'
  | 'ClearedChargingLimit'
  | 'NotifyEVChargingNeeds'
  | 'NotifyEVChargingSchedule'
  | 'ReportChargingProfiles'
  | 'MeterValues';

type NotifyEvent2x = OcppRequest<'2.0.1', 'NotifyEvent'> | OcppRequest<'2.1', 'NotifyEvent'>;
type MeterValues2x = OcppRequest<'2.0.1', 'MeterValues'> | OcppRequest<'2.1', 'MeterValues'>;

/** The CSMS keeps these requests but cannot serve them yet (no certificate authority, no OCSP relay: issue 17). */
const NOT_YET = { reasonCode: 'NotSupported', additionalInfo: 'the CSMS keeps the request; certificate services are not available' };

const from = (ctx: OcppCallContext) => ({ stationId: ctx.stationId, tenantId: ctx.tenantId, receivedAt: ctx.receivedAt });

function event(kind: StationEventKind, type: string, at: Date, detail: Record<string, unknown>, extra: Partial<StationEventReport> = {}): StationEventReport {
  return { kind, type, at, problem: false, cleared: false, evseId: null, connectorId: null, summary: summarise([type]), detail, ...extra };
}

/** EVSE 0 is the station itself (2.x): kept as "the whole station". */
const evseOf = (evseId: number | undefined) => (evseId === undefined || evseId === 0 ? null : evseId);

/** One report per event of a NotifyEvent (a message carries several; N07). */
export function deviceEventsFrom2x(req: NotifyEvent2x, receivedAt: Date): StationEventReport[] {
  return req.eventData.map((e) => {
    const { problem, cleared } = problemReading(e.variable.name, e.actualValue, e.cleared === true);
    const device = {
      component: e.component.name,
      ...(e.component.instance !== undefined ? { componentInstance: e.component.instance } : {}),
      variable: e.variable.name,
      ...(e.variable.instance !== undefined ? { variableInstance: e.variable.instance } : {}),
    };
    return {
      kind: 'device',
      type: e.trigger,
      at: stationTime(e.timestamp, receivedAt),
      problem,
      cleared,
      evseId: evseOf(e.component.evse?.id),
      connectorId: e.component.evse?.connectorId ?? null,
      device,
      summary: summarise([`${e.component.name}/${e.variable.name} = ${e.actualValue}`, e.techCode, e.techInfo]),
      detail: { ...e, generatedAt: req.generatedAt, seqNo: req.seqNo, ...(req.tbc !== undefined ? { tbc: req.tbc } : {}) },
    };
  });
}

/**
 * Every sampled value in CSMS units, read the way transactions read theirs (samplesFrom2x: the
 * multiplier applied to the decimal text, energy in Wh, power in W, the schema's defaults).
 */
export function meterSamplesFrom2x(req: MeterValues2x, receivedAt: Date): StationMeterSample[] {
  // The register's precision matters for a transaction's start and stop only; a series does not keep it.
  return samplesFrom2x(req.meterValue, receivedAt).map(({ resolutionWh: _precision, ...sample }) => ({ ...sample, evseId: req.evseId }));
}

export function stationEventHandlers2x(service: StationEventService): OcppSharedHandlers<Ocpp2x, Actions> {
  return {
    SecurityEventNotification: async (ctx, req) => {
      const at = stationTime(req.timestamp, ctx.receivedAt);
      await service.record(from(ctx), [{ ...event('security', req.type, at, { ...req }), summary: summarise([req.type, req.techInfo]) }]);
      return {};
    },
    NotifyEvent: async (ctx, req) => {
      await service.record(from(ctx), deviceEventsFrom2x(req, ctx.receivedAt));
      return {};
    },
    FirmwareStatusNotification: async (ctx, req) => {
      await service.record(from(ctx), [event('firmware-status', req.status, ctx.receivedAt, { ...req }, req.requestId === undefined ? {} : { requestId: req.requestId })]);
      return {};
    },
    PublishFirmwareStatusNotification: async (ctx, req) => {
      await service.record(from(ctx), [event('firmware-publish-status', req.status, ctx.receivedAt, { ...req }, req.requestId === undefined ? {} : { requestId: req.requestId })]);
      return {};
    },
    LogStatusNotification: async (ctx, req) => {
      await service.record(from(ctx), [event('log-status', req.status, ctx.receivedAt, { ...req }, req.requestId === undefined ? {} : { requestId: req.requestId })]);
      return {};
    },
    SignCertificate: async (ctx, req) => {
      const type = req.certificateType ?? 'ChargingStationCertificate';
      const willSign = await service.requestCertificate(from(ctx), event('certificate-signing-request', type, ctx.receivedAt, { ...req }));
      return willSign ? { status: 'Accepted' } : { status: 'Rejected', statusInfo: NOT_YET };
    },
    Get15118EVCertificate: async (ctx, req) => {
      await service.record(from(ctx), [event('ev-certificate-request', req.action, ctx.receivedAt, { ...req })]);
      // exiResponse is required even when failing: a station was seen to crash on an answer without it.
      return { status: 'Failed', exiResponse: '', statusInfo: NOT_YET };
    },
    GetCertificateStatus: async (ctx, req) => {
      await service.record(from(ctx), [event('certificate-status-request', 'OCSP', ctx.receivedAt, { ...req })]);
      return { status: 'Failed', statusInfo: NOT_YET };
    },
    NotifyChargingLimit: async (ctx, req) => {
      const source = String(req.chargingLimit.chargingLimitSource);
      const extra = { evseId: evseOf(req.evseId), summary: summarise([source, req.chargingLimit.isGridCritical ? 'grid critical' : undefined]) };
      await service.record(from(ctx), [event('charging-limit', source, ctx.receivedAt, { ...req }, extra)]);
      return {};
    },
    ClearedChargingLimit: async (ctx, req) => {
      const source = String(req.chargingLimitSource);
      await service.record(from(ctx), [event('charging-limit-cleared', source, ctx.receivedAt, { ...req }, { evseId: evseOf(req.evseId) })]);
      return {};
    },
    NotifyEVChargingNeeds: async (ctx, req) => {
      const mode = String(req.chargingNeeds.requestedEnergyTransfer);
      await service.record(from(ctx), [event('ev-charging-needs', mode, ctx.receivedAt, { ...req }, { evseId: evseOf(req.evseId) })]);
      // Rejected: no schedule will follow from this CSMS yet (load management, issue 16, will answer Accepted and send one).
      return { status: 'Rejected', statusInfo: { reasonCode: 'NotSupported', additionalInfo: 'the CSMS does not compute EV charging schedules yet' } };
    },
    NotifyEVChargingSchedule: async (ctx, req) => {
      await service.record(from(ctx), [event('ev-charging-schedule', 'Schedule', stationTime(req.timeBase, ctx.receivedAt), { ...req }, { evseId: evseOf(req.evseId) })]);
      return { status: 'Accepted' };
    },
    ReportChargingProfiles: async (ctx, req) => {
      const source = String(req.chargingLimitSource);
      const extra = { evseId: evseOf(req.evseId), requestId: req.requestId, summary: summarise([source, `${req.chargingProfile.length} profile(s)`, req.tbc ? 'more to come' : undefined]) };
      await service.record(from(ctx), [event('charging-profiles-report', source, ctx.receivedAt, { ...req }, extra)]);
      return {};
    },
    MeterValues: async (ctx, req) => {
      await service.recordMeterValues(from(ctx), meterSamplesFrom2x(req, ctx.receivedAt));
      return {};
    },
  };
}

export function stationEventHandlers201(service: StationEventService): OcppHandlerTable<'2.0.1'> {
  return { version: '2.0.1', owner: 'station-events', handlers: stationEventHandlers2x(service) };
}
