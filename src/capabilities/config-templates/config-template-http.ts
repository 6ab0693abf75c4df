/** REST routes of configuration templates and of each station's reconciliation with them. */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { summariseDrift, type ConfigTemplate } from './config-template.ts';
import type { Reconciliation } from './config-template-repository.ts';
import type { ConfigTemplateService } from './config-template-service.ts';
import type { ConfigReconcileService } from './config-template-reconcile-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const DateTime = Type.String({ format: 'date-time' });
const Name = (description: string) => Type.String({ minLength: 1, maxLength: 100, description });

const Setting = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 110, description: 'OCPP 1.6 key ("HeartbeatInterval"; applies to 1.6 stations) or 2.x "Component/Variable" ("OCPPCommCtrlr/HeartbeatInterval"; applies to 2.0.1 and 2.1 stations)' }),
    value: Type.String({ maxLength: 1000 }),
  },
  { additionalProperties: false },
);
const Match = Type.Object(
  {
    siteId: Type.Optional(Name('Only stations of this site')),
    vendor: Type.Optional(Name('Only stations of this vendor (as their BootNotification says)')),
    model: Type.Optional(Name('Only stations of this model')),
  },
  { additionalProperties: false, description: 'Every criterion given must match; none: every station of the tenant. The most specific template wins per key (site, then model, then vendor; then the latest change)' },
);
const TemplateInput = Type.Object(
  {
    name: Name('A name for operators'),
    tenantId: Type.Optional(Type.String({ description: 'Platform callers only: the tenant it belongs to (default: the caller\'s)' })),
    match: Match,
    settings: Type.Array(Setting, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
const TemplateBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenantId: Type.String(),
  name: Type.String(),
  match: Match,
  settings: Type.Array(Setting),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const DriftItemBody = Type.Object({
  key: Type.String(),
  desired: Type.String(),
  actual: Nullable(Type.String({ description: 'What the station reported before reconciling' })),
  templateId: Type.String(),
  state: Type.String({ description: 'reading, in-sync, applying, applied, rejected, failed, unknown-key, read-only, unreadable' }),
  detail: Type.Optional(Type.String()),
  commandId: Type.Optional(Type.String()),
});
const ReconciliationBody = Type.Object({
  stationId: Type.String(),
  trigger: Type.String({ description: 'boot or manual' }),
  startedAt: DateTime,
  updatedAt: DateTime,
  settledAt: Nullable(DateTime),
  summary: Type.Object({ total: Type.Integer(), inSync: Type.Integer(), drifted: Type.Integer(), fixed: Type.Integer(), notFixed: Type.Integer() }),
  items: Type.Array(DriftItemBody),
});

function templateToBody(t: ConfigTemplate): Static<typeof TemplateBody> {
  return { id: t.id, tenantId: t.tenantId, name: t.name, match: t.match, settings: t.settings, createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString() };
}

function reconciliationToBody(r: Reconciliation): Static<typeof ReconciliationBody> {
  return {
    stationId: r.stationId,
    trigger: r.trigger,
    startedAt: r.startedAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    settledAt: r.settledAt ? r.settledAt.toISOString() : null,
    summary: summariseDrift(r.items),
    items: r.items,
  };
}

const TemplateParams = Type.Object({ templateId: Type.String({ format: 'uuid' }) });
const StationParams = Type.Object({ id: Type.String({ pattern: stationIdPattern }) });

export function configTemplateRoutes(service: ConfigTemplateService, reconciler: ConfigReconcileService) {
  return (app: HttpApp): void => {
    const tags = ['configuration templates'];
    const template = { kind: 'config-template', param: 'templateId' } as const;
    const station = { kind: 'station', param: 'id' } as const;
    app.get(
      '/config-templates',
      { config: { access: { permission: 'stations:read' } }, schema: { tags, summary: 'Configuration templates the caller sees', response: { 200: Type.Object({ items: Type.Array(TemplateBody) }) } } },
      async (request) => ({ items: (await service.list(scopeOf(request))).map(templateToBody) }),
    );
    app.post(
      '/config-templates',
      {
        config: { access: { permission: 'stations:write' } },
        schema: { tags, summary: 'Create a template; its stations are reconciled at their next boot (or now: POST /stations/{id}/configuration-drift)', body: TemplateInput, response: { 201: TemplateBody, ...errorResponses('invalid-input', 'not-found', 'forbidden') } },
      },
      async (request, reply) => reply.code(201).send(templateToBody(await service.create(scopeOf(request), request.body))),
    );
    app.get(
      '/config-templates/:templateId',
      { config: { access: { permission: 'stations:read', owner: template } }, schema: { tags, summary: 'One template', params: TemplateParams, response: { 200: TemplateBody, ...errorResponses('not-found') } } },
      async (request) => templateToBody(await service.get(request.params.templateId)),
    );
    app.put(
      '/config-templates/:templateId',
      {
        config: { access: { permission: 'stations:write', owner: template } },
        schema: { tags, summary: 'Replace a template\'s name, match and settings', params: TemplateParams, body: TemplateInput, response: { 200: TemplateBody, ...errorResponses('invalid-input', 'not-found', 'forbidden') } },
      },
      async (request) => templateToBody(await service.update(scopeOf(request), request.params.templateId, request.body)),
    );
    app.delete(
      '/config-templates/:templateId',
      { config: { access: { permission: 'stations:write', owner: template } }, schema: { tags, summary: 'Delete a template (stations keep the values they have)', params: TemplateParams, response: { 204: Type.Null(), ...errorResponses('not-found') } } },
      async (request, reply) => {
        await service.remove(request.params.templateId);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/configuration-drift',
      {
        config: { access: { permission: 'stations:read' } },
        schema: {
          tags,
          summary: 'The latest reconciliation of every station the caller sees (stations with keys that could not be fixed first), with network totals',
          querystring: Type.Object({
            notFixed: Type.Boolean({ default: false, description: 'Only stations with keys that could not be fixed' }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          }),
          response: {
            200: Type.Object({
              totals: Type.Object({ stations: Type.Integer(), settled: Type.Integer(), withDrift: Type.Integer(), withUnfixed: Type.Integer() }),
              total: Type.Integer(),
              items: Type.Array(ReconciliationBody),
            }),
          },
        },
      },
      async (request) => {
        const report = await service.driftReport(scopeOf(request), { onlyNotFixed: request.query.notFixed, limit: request.query.limit, offset: request.query.offset });
        return { totals: report.totals, total: report.total, items: report.items.map(reconciliationToBody) };
      },
    );
    app.get(
      '/stations/:id/configuration-drift',
      {
        config: { access: { permission: 'stations:read', owner: station } },
        schema: { tags, summary: 'The station\'s latest reconciliation with its templates: per key the desired and reported value and what was done', params: StationParams, response: { 200: Nullable(ReconciliationBody), ...errorResponses('not-found') } },
      },
      async (request) => {
        const r = await service.drift(request.params.id);
        return r ? reconciliationToBody(r) : null;
      },
    );
    app.post(
      '/stations/:id/configuration-drift',
      {
        config: { access: { permission: 'commands:write', owner: station } },
        schema: { tags, summary: 'Reconcile the station with its templates now (it also happens after every accepted boot)', params: StationParams, response: { 202: ReconciliationBody, ...errorResponses('not-found') } },
      },
      async (request, reply) => {
        const r = await reconciler.reconcile(request.params.id, 'manual');
        return reply.code(202).send(reconciliationToBody(r as Reconciliation));
      },
    );
  };
}
