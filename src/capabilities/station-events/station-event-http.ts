/** REST routes of station events: a station's events, its active problems, its meter values outside transactions, and the network's problems. */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { STATION_EVENT_KINDS, type StationEvent, type StationProblem } from './station-event.ts';
import type { StationEventService } from './station-event-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const StationParams = Type.Object({ id: Type.String({ pattern: stationIdPattern }) });
const Kind = Type.Union(
  STATION_EVENT_KINDS.map((k) => Type.Literal(k)),
  { description: 'What the event is about (see docs/station-events.md)' },
);
const Device = Type.Object({
  component: Type.String(),
  componentInstance: Type.Optional(Type.String()),
  variable: Type.String(),
  variableInstance: Type.Optional(Type.String()),
});

const EventBody = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  kind: Kind,
  type: Type.String({ description: 'The station\'s own word: security event type, firmware or log status, event trigger, limit source, ...' }),
  at: Type.String({ format: 'date-time', description: 'When it happened by the station\'s clock (the receive time when the message has none or it is implausible)' }),
  receivedAt: Type.String({ format: 'date-time' }),
  problem: Type.Boolean({ description: 'The event raised a fault (a Problem, Tripped or Overload variable turned true)' }),
  cleared: Type.Boolean({ description: 'The event ended the condition it is about' }),
  evseId: Nullable(Type.Integer()),
  connectorId: Nullable(Type.Integer()),
  device: Type.Optional(Device),
  requestId: Type.Optional(Type.Integer()),
  summary: Type.String(),
  detail: Type.Object({}, { additionalProperties: true, description: 'Everything the station sent for this event, as sent' }),
});

const ProblemBody = Type.Object({
  stationId: Type.String(),
  key: Type.String({ description: 'The faulty thing: EVSE/connector and component/variable' }),
  evseId: Nullable(Type.Integer()),
  connectorId: Nullable(Type.Integer()),
  device: Nullable(Device),
  since: Type.String({ format: 'date-time' }),
  eventId: Type.String({ description: 'The event that raised it' }),
  summary: Type.String(),
});

const MeterValueBody = Type.Object({
  evseId: Type.Integer({ description: '0: the station\'s own meter (e.g. the grid connection)' }),
  at: Type.String({ format: 'date-time' }),
  measurand: Type.String(),
  phase: Nullable(Type.String()),
  location: Nullable(Type.String()),
  context: Nullable(Type.String()),
  value: Type.Number({ description: 'In `unit`, the station\'s multiplier applied' }),
  unit: Nullable(Type.String()),
});

function eventToBody(e: StationEvent): Static<typeof EventBody> {
  return {
    id: e.id,
    stationId: e.stationId,
    kind: e.kind,
    type: e.type,
    at: e.at.toISOString(),
    receivedAt: e.receivedAt.toISOString(),
    problem: e.problem,
    cleared: e.cleared,
    evseId: e.evseId,
    connectorId: e.connectorId,
    ...(e.device ? { device: e.device } : {}),
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
    summary: e.summary,
    detail: e.detail,
  };
}

function problemToBody(p: StationProblem): Static<typeof ProblemBody> {
  return { stationId: p.stationId, key: p.key, evseId: p.evseId, connectorId: p.connectorId, device: p.device, since: p.since.toISOString(), eventId: p.eventId, summary: p.summary };
}

const Paging = { limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) };

export function stationEventRoutes(service: StationEventService) {
  return (app: HttpApp): void => {
    const tags = ['station events'];
    const station = { kind: 'station', param: 'id' } as const;
    app.get(
      '/stations/:id/events',
      {
        config: { access: { permission: 'stations:read', owner: station } },
        schema: {
          tags,
          summary: 'What the station reported outside transactions (security, device, firmware, log, certificate, charging-limit events), newest first',
          params: StationParams,
          querystring: Type.Object({ kind: Type.Optional(Kind), problem: Type.Optional(Type.Boolean()), ...Paging }),
          response: { 200: Type.Object({ items: Type.Array(EventBody), total: Type.Integer() }), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const page = await service.list(request.params.id, request.query);
        return { items: page.items.map(eventToBody), total: page.total };
      },
    );
    app.get(
      '/stations/:id/problems',
      {
        config: { access: { permission: 'stations:read', owner: station } },
        schema: {
          tags,
          summary: 'The faults the station has raised and not cleared, oldest first',
          params: StationParams,
          response: { 200: Type.Object({ items: Type.Array(ProblemBody) }), ...errorResponses('not-found') },
        },
      },
      async (request) => ({ items: (await service.problems(request.params.id)).map(problemToBody) }),
    );
    app.get(
      '/stations/:id/meter-values',
      {
        config: { access: { permission: 'stations:read', owner: station } },
        schema: {
          tags,
          summary: 'Meter values the station sent outside transactions (site meters, idle consumption), oldest first',
          params: StationParams,
          querystring: Type.Object({
            measurand: Type.Optional(Type.String({ maxLength: 50 })),
            evseId: Type.Optional(Type.Integer({ minimum: 0 })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(MeterValueBody) }), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const { from, to, ...rest } = request.query;
        const samples = await service.meterValues(request.params.id, { ...rest, ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) });
        return { items: samples.map((s) => ({ ...s, at: s.at.toISOString() })) };
      },
    );
    app.get(
      '/problems',
      {
        config: { access: { permission: 'stations:read' } },
        schema: {
          tags,
          summary: 'Every active fault of the stations the caller sees, oldest first',
          querystring: Type.Object(Paging),
          response: { 200: Type.Object({ items: Type.Array(ProblemBody), total: Type.Integer() }) },
        },
      },
      async (request) => {
        const page = await service.problemsInScope(scopeOf(request), request.query);
        return { items: page.items.map(problemToBody), total: page.total };
      },
    );
  };
}
