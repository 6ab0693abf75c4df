/** REST routes of tariffs: OCPI-shaped tariffs (2.2.1 or 2.3.0), their versions, and a station's tariff. */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { toOcpi } from './tariff.ts';
import type { StoredTariff } from './tariff-repository.ts';
import type { TariffService } from './tariff-service.ts';
import { targetLevel, type TariffAssignment } from './tariff-assignment.ts';
import { Nullable } from '../../http/http-schemas.ts';

const OcpiTariff = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'An OCPI 2.2.1 or 2.3.0 tariff (snake_case): `currency`, `elements[]` of `price_components[]` `{ type: ENERGY|TIME|PARKING_TIME|FLAT, price, vat?, step_size }` and `restrictions?`, `min_price?`, `max_price?`, `tax_included?` (2.3.0). `id` optional (generated)',
  },
);
const TariffBody = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  currency: Type.String(),
  version: Type.Integer({ description: 'Starts at 1; every change is a new version' }),
  validFrom: Type.String({ format: 'date-time', description: 'When this version took effect: sessions that started before keep the version they started under' }),
  tariff: Type.Unknown({ description: 'The tariff as OCPI 2.2.1 (or 2.3.0 when it includes tax)' }),
});

function tariffToBody(t: StoredTariff): Static<typeof TariffBody> {
  return { id: t.id, tenantId: t.tenantId, currency: t.currency, version: t.version, validFrom: t.validFrom.toISOString(), tariff: toOcpi(t.tariff, t.tariff.taxIncluded || t.tariff.taxNotApplicable ? '2.3.0' : '2.2.1') };
}

const AssignmentBody = Type.Object({
  id: Type.Integer(),
  tenantId: Type.String(),
  tariffId: Nullable(Type.String({ description: 'Null: a removal (the target falls back to a less specific assignment)' })),
  siteId: Nullable(Type.String()),
  stationId: Nullable(Type.String()),
  evseId: Nullable(Type.Integer()),
  connectorId: Nullable(Type.Integer()),
  tokenGroup: Nullable(Type.String({ description: 'Only for tokens of this group (a fleet\'s or roaming partner\'s contract)' })),
  level: Type.String({ description: 'tenant, site, station, evse or connector' }),
  validFrom: Type.String({ format: 'date-time' }),
});

function assignmentToBody(a: TariffAssignment): Static<typeof AssignmentBody> {
  return { id: a.id, tenantId: a.tenantId, tariffId: a.tariffId, siteId: a.siteId, stationId: a.stationId, evseId: a.evseId, connectorId: a.connectorId, tokenGroup: a.tokenGroup, level: targetLevel(a), validFrom: a.validFrom.toISOString() };
}

const NewAssignment = Type.Object(
  {
    tariffId: Nullable(Type.String({ minLength: 1, maxLength: 36, description: 'The tariff (of the target\'s tenant), or null to remove the target\'s own assignment' })),
    siteId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    stationId: Type.Optional(Nullable(Type.String({ pattern: stationIdPattern }))),
    evseId: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    connectorId: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    tokenGroup: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 36 }))),
    tenantId: Type.Optional(Type.String({ description: 'Platform callers, tenant-wide assignments: whose tenant (default the caller\'s)' })),
  },
  { additionalProperties: false },
);

const TariffParams = Type.Object({ tariffId: Type.String({ minLength: 1, maxLength: 36 }) });
const StationParams = Type.Object({ id: Type.String({ pattern: stationIdPattern }) });

export function tariffRoutes(service: TariffService) {
  return (app: HttpApp): void => {
    const tags = ['tariffs'];
    const tariff = { kind: 'tariff', param: 'tariffId' } as const;
    const station = { kind: 'station', param: 'id' } as const;
    app.post(
      '/tariffs',
      {
        config: { access: { permission: 'billing:write' } },
        schema: {
          tags,
          summary: 'Create a tariff (OCPI-shaped body)',
          querystring: Type.Object({ tenantId: Type.Optional(Type.String({ description: 'Platform callers only: whose tariff (default: the caller\'s tenant)' })) }),
          body: OcpiTariff,
          response: { 201: TariffBody, ...errorResponses('invalid-input', 'already-exists', 'not-found') },
        },
      },
      async (request, reply) => reply.code(201).send(tariffToBody(await service.create(scopeOf(request), request.body, request.query.tenantId))),
    );
    app.get(
      '/tariffs',
      { config: { access: { permission: 'billing:read' } }, schema: { tags, summary: 'Tariffs the caller sees, each in its current version', response: { 200: Type.Object({ items: Type.Array(TariffBody) }) } } },
      async (request) => ({ items: (await service.list(scopeOf(request))).map(tariffToBody) }),
    );
    app.get(
      '/tariffs/:tariffId',
      { config: { access: { permission: 'billing:read', owner: tariff } }, schema: { tags, summary: 'A tariff in its current version', params: TariffParams, response: { 200: TariffBody, ...errorResponses('not-found') } } },
      async (request) => tariffToBody(await service.get(request.params.tariffId)),
    );
    app.put(
      '/tariffs/:tariffId',
      {
        config: { access: { permission: 'billing:write', owner: tariff } },
        schema: { tags, summary: 'Change a tariff: a new version from now on (never retroactive)', params: TariffParams, body: OcpiTariff, response: { 200: TariffBody, ...errorResponses('invalid-input', 'not-found') } },
      },
      async (request) => tariffToBody(await service.change(request.params.tariffId, request.body)),
    );
    app.get(
      '/tariffs/:tariffId/versions',
      { config: { access: { permission: 'billing:read', owner: tariff } }, schema: { tags, summary: 'Every version of a tariff, oldest first', params: TariffParams, response: { 200: Type.Object({ items: Type.Array(TariffBody) }), ...errorResponses('not-found') } } },
      async (request) => ({ items: (await service.versions(request.params.tariffId)).map(tariffToBody) }),
    );
    app.put(
      '/stations/:id/tariff',
      {
        config: { access: { permission: 'billing:write', owner: station } },
        schema: { tags, summary: 'Assign a tariff of the station\'s tenant to the whole station from now on (shorthand for POST /tariff-assignments with stationId)', params: StationParams, body: Type.Object({ tariffId: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false }), response: { 200: TariffBody, ...errorResponses('invalid-input', 'not-found') } },
      },
      async (request) => tariffToBody(await service.assign(request.params.id, request.body.tariffId)),
    );
    app.get(
      '/stations/:id/tariff',
      {
        config: { access: { permission: 'billing:read', owner: station } },
        schema: {
          tags,
          summary: 'The station\'s tariff in the version in force at `at` (default now): what a session starting then is priced by',
          params: StationParams,
          querystring: Type.Object({ at: Type.Optional(Type.String({ format: 'date-time' })) }),
          response: { 200: Nullable(TariffBody), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const found = await service.tariffAt(request.params.id, request.query.at ? new Date(request.query.at) : undefined);
        return found ? tariffToBody(found) : null;
      },
    );
    app.post(
      '/tariff-assignments',
      {
        config: { access: { permission: 'billing:write' } },
        schema: {
          tags,
          summary: 'Assign a tariff from now on to the tenant, a site, a station, an EVSE or a connector, optionally for one token group (the most specific assignment wins; see docs/tariffs.md)',
          body: NewAssignment,
          response: { 201: AssignmentBody, ...errorResponses('invalid-input', 'not-found', 'forbidden') },
        },
      },
      async (request, reply) => reply.code(201).send(assignmentToBody(await service.addAssignment(scopeOf(request), request.body))),
    );
    app.get(
      '/tariff-assignments',
      {
        config: { access: { permission: 'billing:read' } },
        schema: {
          tags,
          summary: 'Assignment history, newest first (rows are never changed: a change or removal is a new row)',
          querystring: Type.Object({ stationId: Type.Optional(Type.String()), siteId: Type.Optional(Type.String()), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
          response: { 200: Type.Object({ items: Type.Array(AssignmentBody) }) },
        },
      },
      async (request) => ({ items: (await service.assignments(scopeOf(request), request.query)).map(assignmentToBody) }),
    );
  };
}
