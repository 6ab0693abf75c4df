/** REST routes for stuck transactions: cases with each step's outcome, operator actions, per-station rate, metrics. */
import { scopeOf } from '../../http/http-auth.ts';
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { STUCK_REASONS } from './stuck.ts';
import { LADDER_STEPS, type StuckCase } from './stuck-ladder.ts';
import type { StuckService } from './stuck-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const STATUSES = ['open', 'awaiting-operator', 'resolved', 'closed-by-backend', 'cleared', 'dismissed'] as const;
const FILTERS = [...STATUSES, 'running', 'finished'] as const;

const StepBody = Type.Object({
  step: Type.Union(LADDER_STEPS.map((s) => Type.Literal(s))),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  commandId: Nullable(Type.String({ description: 'The command that carried the step (GET /api/v1/commands/{id})' })),
  outcome: Nullable(Type.String({ description: 'accepted, rejected, failed, timeout, station-says-ended, still-ongoing, connector-freed, transaction-closed, closed, skipped' })),
  detail: Nullable(Type.String()),
});

const CaseBody = Type.Object({
  id: Type.String(),
  transactionId: Type.String(),
  stationId: Type.String(),
  evseId: Nullable(Type.Integer()),
  status: Type.Union(STATUSES.map((s) => Type.Literal(s)), {
    description: 'open (ladder running), awaiting-operator, resolved (the station closed it), closed-by-backend, cleared (healthy after all), dismissed (by an operator)',
  }),
  reasons: Type.Array(Type.Union(STUCK_REASONS.map((r) => Type.Literal(r)))),
  pendingStep: Nullable(Type.String({ description: 'The step waiting for an operator' })),
  detectedAt: Type.String(),
  updatedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  steps: Type.Array(StepBody),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function caseToBody(c: StuckCase) {
  return {
    id: c.id,
    transactionId: c.transactionId,
    stationId: c.stationId,
    evseId: c.evseId,
    status: c.status,
    reasons: c.reasons,
    pendingStep: c.pendingStep,
    detectedAt: c.detectedAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    finishedAt: iso(c.finishedAt),
    steps: c.steps.map((s) => ({ ...s, startedAt: s.startedAt.toISOString(), endedAt: iso(s.endedAt) })),
  };
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function stuckRoutes(service: StuckService) {
  return (app: HttpApp): void => {
    const tags = ['stuck transactions'];
    app.get(
      '/stuck-transactions',
      {
        config: { access: { permission: 'transactions:read' } },
        schema: {
          tags,
          summary: 'Suspected and remediated transactions, newest first, with every ladder step and its outcome',
          querystring: Type.Object({
            status: Type.Optional(Type.Union(FILTERS.map((s) => Type.Literal(s)), { description: 'running = open or awaiting-operator' })),
            stationId: Type.Optional(Type.String()),
            transactionId: Type.Optional(Type.String()),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'detected at or after' })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(CaseBody), total: Type.Integer() }) },
        },
      },
      async (request) => {
        const { from, status, ...rest } = request.query;
        const page = await service.list({ ...rest, scope: scopeOf(request), status: status as (typeof FILTERS)[number] | undefined, from: from ? new Date(from) : undefined });
        return { items: page.items.map(caseToBody), total: page.total };
      },
    );
    app.get(
      '/stuck-transactions/station-rates',
      {
        config: { access: { permission: 'transactions:read' } },
        schema: {
          tags,
          summary: 'Stuck sessions per station (a faulty model or firmware stands out), highest rate first',
          querystring: Type.Object({ since: Type.Optional(Type.String({ format: 'date-time', description: 'default: 30 days ago' })) }),
          response: {
            200: Type.Object({
              since: Type.String(),
              items: Type.Array(Type.Object({ stationId: Type.String(), sessions: Type.Integer(), stuck: Type.Integer(), rate: Type.Number() })),
            }),
          },
        },
      },
      async (request) => {
        const since = request.query.since ? new Date(request.query.since) : new Date(service.now().getTime() - 30 * 24 * 3600_000);
        return { since: since.toISOString(), items: await service.stationRates(scopeOf(request), since) };
      },
    );
    app.get(
      '/stuck-transactions/metrics',
      {
        // The counters are this node's, for every tenant: for who runs the platform only.
        config: { access: { permission: 'transactions:read', platform: true } },
        schema: {
          tags,
          summary: 'Counters since the process started (every tenant; for who administers the platform): detected, auto-resolved, needing an operator, time to resolve',
          response: { 200: Type.Object({}, { additionalProperties: true }) },
        },
      },
      async () => service.metrics.view(),
    );
    app.get(
      '/stuck-transactions/:id',
      {
        config: { access: { permission: 'transactions:read', owner: { kind: 'stuck-case', param: 'id' } } },
        schema: { tags, summary: 'One case with its steps', params: IdParams, response: { 200: CaseBody, ...errorResponses('not-found') } },
      },
      async (request) => caseToBody(await service.get(request.params.id)),
    );
    app.post(
      '/stuck-transactions/:id/approve',
      {
        config: { access: { permission: 'transactions:write', owner: { kind: 'stuck-case', param: 'id' } } },
        schema: { tags, summary: 'Run the step the case waits for (409 unless it awaits an operator)', params: IdParams, response: { 200: CaseBody, ...errorResponses('not-found', 'conflict') } },
      },
      async (request) => caseToBody(await service.approve(request.params.id)),
    );
    app.post(
      '/stuck-transactions/:id/dismiss',
      {
        config: { access: { permission: 'transactions:write', owner: { kind: 'stuck-case', param: 'id' } } },
        schema: { tags, summary: 'Not stuck (or handled outside the CSMS): end the case, leave the transaction alone', params: IdParams, response: { 200: CaseBody, ...errorResponses('not-found', 'conflict') } },
      },
      async (request) => caseToBody(await service.dismiss(request.params.id)),
    );
  };
}
