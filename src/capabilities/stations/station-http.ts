/** REST routes for stations: register, list, get, update, delete, status and connection history. */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { CONNECTOR_STATUSES } from './station.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './station-password-service.ts';
import type { StationService, StationView } from './station-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const DateTime = Type.String({ format: 'date-time' });
const Status = Type.Union(CONNECTOR_STATUSES.map((s) => Type.Literal(s)));
const Registration = Type.Union([Type.Literal('Accepted'), Type.Literal('Pending'), Type.Literal('Rejected')]);
const Labels = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 256 }));
const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description: 'HTTP Basic password (security profile 1/2)' });
const Profile = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(3)]);

const Activity = Nullable(
  Type.Union(['preparing', 'charging', 'suspended-by-ev', 'suspended-by-station', 'finishing'].map((a) => Type.Literal(a)), {
    description: 'What goes on at an occupied connector, when the version says (1.6 in its status; 2.x in transaction events, so null here)',
  }),
);

const ConnectorBody = Type.Object({
  id: Type.Integer(),
  status: Status,
  activity: Activity,
  ocppStatus: Nullable(Type.String({ description: 'The version\'s own status, e.g. OCPP 1.6 "SuspendedEV"' })),
  errorCode: Nullable(Type.String()),
  info: Nullable(Type.String()),
  reportedAt: DateTime,
});

export const StationBody = Type.Object({
  id: Type.String(),
  ocppVersion: Type.Union([Type.Literal('1.6'), Type.Literal('2.0.1'), Type.Literal('2.1'), Type.Null()]),
  connected: Type.Boolean(),
  lastSeenAt: Nullable(DateTime),
  vendor: Nullable(Type.String()),
  model: Nullable(Type.String()),
  serialNumber: Nullable(Type.String()),
  firmwareVersion: Nullable(Type.String()),
  iccid: Nullable(Type.String()),
  imsi: Nullable(Type.String()),
  securityProfile: Profile,
  hasPassword: Type.Boolean(),
  tenantId: Type.String(),
  siteId: Nullable(Type.String()),
  labels: Labels,
  registrationStatus: Registration,
  lastBootAt: Nullable(DateTime),
  lastBootReason: Nullable(Type.String()),
  connectedAt: Nullable(DateTime),
  disconnectedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
  status: Nullable(Status),
  statusDetail: Type.Union([
    Type.Object({ ocppStatus: Nullable(Type.String()), errorCode: Nullable(Type.String()), info: Nullable(Type.String()), reportedAt: DateTime }),
    Type.Null(),
  ]),
  evses: Type.Array(Type.Object({ id: Type.Integer(), connectors: Type.Array(ConnectorBody) })),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function stationToBody(view: StationView): Static<typeof StationBody> {
  const { stationStatus } = view;
  return {
    id: view.id,
    ocppVersion: view.ocppVersion,
    connected: view.connected,
    lastSeenAt: iso(view.lastSeenAt),
    vendor: view.vendor,
    model: view.model,
    serialNumber: view.serialNumber,
    firmwareVersion: view.firmwareVersion,
    iccid: view.iccid,
    imsi: view.imsi,
    securityProfile: view.securityProfile,
    hasPassword: view.hasPassword,
    tenantId: view.tenantId,
    siteId: view.siteId,
    labels: view.labels,
    registrationStatus: view.registrationStatus,
    lastBootAt: iso(view.lastBootAt),
    lastBootReason: view.lastBootReason,
    connectedAt: iso(view.connectedAt),
    disconnectedAt: iso(view.disconnectedAt),
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
    status: stationStatus?.status ?? null,
    statusDetail: stationStatus
      ? { ocppStatus: stationStatus.ocppStatus, errorCode: stationStatus.errorCode, info: stationStatus.info, reportedAt: stationStatus.reportedAt.toISOString() }
      : null,
    evses: view.evses.map((evse) => ({
      id: evse.id,
      connectors: evse.connectors.map((c) => ({
        id: c.connectorId,
        status: c.status,
        activity: c.activity,
        ocppStatus: c.ocppStatus,
        errorCode: c.errorCode,
        info: c.info,
        reportedAt: c.reportedAt.toISOString(),
      })),
    })),
  };
}

const IdParams = Type.Object({ id: Type.String({ pattern: stationIdPattern }) });

const CreateBody = Type.Object(
  {
    id: Type.String({ pattern: stationIdPattern, description: 'Station identity, as in ws://HOST/ocpp/{id}' }),
    tenantId: Type.Optional(Type.String({ description: 'The owning tenant; default: the default tenant (a tenant that does not exist: not-found)' })),
    password: Type.Optional(Password),
    securityProfile: Type.Optional(Profile),
    siteId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    labels: Type.Optional(Labels),
    registrationStatus: Type.Optional(Registration),
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    password: Type.Optional(Type.Union([Password, Type.Null()])),
    securityProfile: Type.Optional(Profile),
    siteId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    labels: Type.Optional(Labels),
    registrationStatus: Type.Optional(Registration),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  tenantId: Type.Optional(Type.String()),
  siteId: Type.Optional(Type.String()),
  search: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Status),
  connected: Type.Optional(Type.Boolean()),
});

const HistoryQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  before: Type.Optional(DateTime),
});

export function stationRoutes(service: StationService) {
  return (app: HttpApp): void => {
    const tags = ['stations'];
    app.post(
      '/stations',
      {
        config: { access: { permission: 'stations:write' } },
        schema: { tags, summary: 'Register a station', body: CreateBody, response: { 201: StationBody, ...errorResponses('already-exists', 'not-found') } },
      },
      async (request, reply) => reply.code(201).send(stationToBody(await service.register(scopeOf(request), request.body))),
    );
    app.get(
      '/stations',
      {
        config: { access: { permission: 'stations:read' } },
        schema: {
          tags,
          summary: 'List stations (paged)',
          querystring: ListQuery,
          response: { 200: Type.Object({ items: Type.Array(StationBody), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }) },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const page = await service.list(scopeOf(request), request.query);
        return { items: page.items.map(stationToBody), total: page.total, limit, offset };
      },
    );
    app.get(
      '/stations/:id',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } },
        schema: { tags, summary: 'A station with its live topology and statuses', params: IdParams, response: { 200: StationBody, ...errorResponses('not-found') } },
      },
      async (request) => stationToBody(await service.get(request.params.id)),
    );
    app.patch(
      '/stations/:id',
      {
        config: { access: { permission: 'stations:write', owner: { kind: 'station', param: 'id' } } },
        schema: { tags, summary: 'Update a station', params: IdParams, body: UpdateBody, response: { 200: StationBody, ...errorResponses('not-found') } },
      },
      async (request) => stationToBody(await service.update(scopeOf(request), request.params.id, request.body)),
    );
    app.delete(
      '/stations/:id',
      {
        config: { access: { permission: 'stations:write', owner: { kind: 'station', param: 'id' } } },
        schema: { tags, summary: 'Delete a station (closes its connection)', params: IdParams, response: { 204: Type.Null(), ...errorResponses('not-found') } },
      },
      async (request, reply) => {
        await service.remove(request.params.id);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/stations/:id/status-history',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags,
          summary: 'Status reports, newest first',
          params: IdParams,
          querystring: HistoryQuery,
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  evseId: Type.Integer(),
                  connectorId: Type.Integer(),
                  status: Status,
                  activity: Activity,
                  ocppStatus: Nullable(Type.String()),
                  errorCode: Nullable(Type.String()),
                  reportedAt: DateTime,
                  receivedAt: DateTime,
                }),
              ),
            }),
            ...errorResponses('not-found'),
          },
        },
      },
      async (request) => {
        const { limit, before } = request.query;
        const items = await service.statusHistory(request.params.id, { limit, before: before ? new Date(before) : undefined });
        return {
          items: items.map((e) => ({
            evseId: e.evseId,
            connectorId: e.connectorId,
            status: e.status,
            activity: e.activity,
            ocppStatus: e.ocppStatus,
            errorCode: e.errorCode,
            reportedAt: e.reportedAt.toISOString(),
            receivedAt: e.receivedAt.toISOString(),
          })),
        };
      },
    );
    app.get(
      '/stations/:id/connection-history',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags,
          summary: 'Connects and disconnects, newest first',
          params: IdParams,
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  event: Type.Union([Type.Literal('connected'), Type.Literal('disconnected')]),
                  at: DateTime,
                  ocppVersion: Nullable(Type.String()),
                  reason: Nullable(Type.String()),
                }),
              ),
            }),
            ...errorResponses('not-found'),
          },
        },
      },
      async (request) => {
        const items = await service.connectionHistory(request.params.id, request.query);
        return { items: items.map((e) => ({ ...e, at: e.at.toISOString() })) };
      },
    );
  };
}
