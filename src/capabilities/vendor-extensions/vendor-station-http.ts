/**
 * REST routes of what a station sent under vendor extensions (issue 14): the raw DataTransfer
 * messages (filter by vendorId, messageId, flagged), and the metrics and events its tenant's
 * profiles made of them. Newest first, paged.
 */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { SEVERITIES } from './vendor-profile.ts';
import { TRANSFER_OUTCOMES, type DataTransferRecord, type StoredMetric, type StoredVendorEvent } from './vendor-records.ts';
import type { VendorDataTransferService } from './vendor-data-transfer-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const StationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Paging = { limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) };

const TransferBody = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  vendorId: Type.String(),
  messageId: Nullable(Type.String()),
  payload: Type.Unknown({ description: 'The whole request as the station sent it' }),
  outcome: Type.Union(
    TRANSFER_OUTCOMES.map((o) => Type.Literal(o)),
    { description: 'How it was answered: accepted, rejected (failed its profile), unknownVendor, unknownMessage' },
  ),
  profileId: Nullable(Type.String()),
  flagged: Type.Boolean({ description: 'The payload failed its profile (schema, or 1.6 data that is not the JSON the profile expects)' }),
  problems: Type.Array(Type.String()),
  receivedAt: Type.String({ format: 'date-time' }),
});

const MetricBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  value: Type.Number(),
  unit: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
  profileId: Type.String(),
  transferId: Nullable(Type.String({ description: 'The raw message it came from (null: customData of another message)' })),
});

const EventBody = Type.Object({
  id: Type.String(),
  type: Type.String(),
  severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
  problem: Type.Boolean({ description: 'A fault of the station, not just a notice' }),
  detail: Type.Unknown(),
  at: Type.String({ format: 'date-time' }),
  profileId: Type.String(),
  transferId: Nullable(Type.String()),
});

const page = <T extends ReturnType<typeof Type.Object>>(item: T) => Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

const transferToBody = (t: DataTransferRecord) => ({
  id: t.id,
  stationId: t.stationId,
  vendorId: t.vendorId,
  messageId: t.messageId,
  payload: t.payload,
  outcome: t.outcome,
  profileId: t.profileId,
  flagged: t.flagged,
  problems: t.problems,
  receivedAt: t.receivedAt.toISOString(),
});
const metricToBody = (m: StoredMetric) => ({ id: m.id, name: m.name, value: m.value, unit: m.unit, at: m.at.toISOString(), profileId: m.profileId, transferId: m.transferId });
const eventToBody = (e: StoredVendorEvent) => ({ id: e.id, type: e.type, severity: e.severity, problem: e.problem, detail: e.detail, at: e.at.toISOString(), profileId: e.profileId, transferId: e.transferId });

export function vendorStationRoutes(service: VendorDataTransferService) {
  return (app: HttpApp): void => {
    const tags = ['vendor-profiles'];
    const config = { access: { permission: 'stations:read' as const, owner: { kind: 'station', param: 'id' } } };
    app.get(
      '/stations/:id/data-transfers',
      {
        config,
        schema: {
          tags,
          summary: 'DataTransfer messages the station sent, raw, with how each was answered (newest first)',
          params: StationParams,
          querystring: Type.Object({ vendorId: Type.Optional(Type.String()), messageId: Type.Optional(Type.String()), flagged: Type.Optional(Type.Boolean()), ...Paging }),
          response: { 200: page(TransferBody), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const found = await service.transfers(request.params.id, request.query);
        return { items: found.items.map(transferToBody), total: found.total, limit, offset };
      },
    );
    app.get(
      '/stations/:id/vendor-metrics',
      {
        config,
        schema: {
          tags,
          summary: "Metric samples the station's vendor messages gave (newest first)",
          params: StationParams,
          querystring: Type.Object({
            name: Type.Optional(Type.String()),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
            ...Paging,
          }),
          response: { 200: page(MetricBody), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const { name, from, to, limit, offset } = request.query;
        const found = await service.metrics(request.params.id, { name, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined, limit, offset });
        return { items: found.items.map(metricToBody), total: found.total, limit, offset };
      },
    );
    app.get(
      '/stations/:id/vendor-events',
      {
        config,
        schema: {
          tags,
          summary: "Events the station's vendor messages raised (newest first)",
          params: StationParams,
          querystring: Type.Object({ type: Type.Optional(Type.String()), problem: Type.Optional(Type.Boolean()), ...Paging }),
          response: { 200: page(EventBody), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const found = await service.events(request.params.id, request.query);
        return { items: found.items.map(eventToBody), total: found.total, limit, offset };
      },
    );
  };
}
