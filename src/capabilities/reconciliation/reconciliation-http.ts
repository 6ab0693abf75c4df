/**
 * REST routes of reconciliation: the discrepancies of a period (JSON, or CSV by `Accept: text/csv`
 * or `?format=csv`), the stored runs, and a run on demand.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { Nullable } from '../../http/http-schemas.ts';
import type { Clock } from '../../kernel/time.ts';
import { amountText, detailOf, DISCREPANCY_KINDS, requestedPeriod, type Discrepancy, type Totals } from './reconciliation.ts';
import { reconciliationCsv } from './reconciliation-csv.ts';
import type { ReconciliationRun } from './reconciliation-repository.ts';
import type { ReconciliationService } from './reconciliation-service.ts';

const Money = Type.Object({ amount: Type.String({ description: 'Decimal text in the currency' }), amountMinor: Type.Integer() });
const ByCurrency = Type.Record(Type.String(), Money, { description: 'Per currency (ISO 4217)' });

const ItemBody = Type.Object({
  kind: Type.Union(DISCREPANCY_KINDS.map((k) => Type.Literal(k))),
  transactionId: Nullable(Type.String()),
  holdId: Nullable(Type.String()),
  cdrId: Nullable(Type.String()),
  stationId: Nullable(Type.String()),
  tenantId: Nullable(Type.String({ description: 'Null only for a gateway record no hold of ours names' })),
  stoppedAt: Nullable(Type.String({ description: 'When the session stopped' })),
  amount: Type.String({ description: 'The money at stake, decimal text in `currency` ("0" when unknown)' }),
  currency: Nullable(Type.String()),
  amountMinor: Type.Integer({ minimum: 0 }),
  amountKnown: Type.Boolean({ description: 'False when the amount cannot be known (no tariff priced the session, or it is not priced yet)' }),
  detail: Type.String(),
  facts: Type.Record(Type.String(), Type.Unknown(), { description: 'What the item was decided from' }),
});

const TotalsBody = Type.Object({
  count: Type.Integer(),
  byKind: Type.Record(Type.String(), Type.Object({ count: Type.Integer(), byCurrency: ByCurrency }), { description: `Every kind (${DISCREPANCY_KINDS.join(', ')}), found or not` }),
});

const ReconciliationBody = Type.Object({
  from: Type.String(),
  to: Type.String(),
  gateway: Nullable(Type.String({ description: 'The payment gateway whose record was read' })),
  gatewayChecked: Type.Boolean({ description: 'False without a gateway: gateway-mismatch (and the gateway\'s side of duplicate-capture) not checked' }),
  transactions: Type.Integer({ description: 'Completed transactions examined (stopped in the period)' }),
  itemCount: Type.Integer({ description: 'Every discrepancy found; `items` is one page of them' }),
  items: Type.Array(ItemBody),
  totals: TotalsBody,
});

const RunBody = Type.Object({
  id: Type.String(),
  tenantId: Nullable(Type.String({ description: 'Null: a platform-wide run (every tenant)' })),
  siteIds: Nullable(Type.Array(Type.String())),
  from: Type.String(),
  to: Type.String(),
  trigger: Type.Union([Type.Literal('daily'), Type.Literal('on-demand')]),
  gatewayChecked: Type.Boolean(),
  transactions: Type.Integer(),
  itemCount: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer()),
  atStake: Type.Record(Type.String(), ByCurrency, { description: 'Per kind and currency: the money at stake' }),
  tookMs: Type.Integer(),
  createdAt: Type.String(),
});

const PeriodFields = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Transactions stopped at or after; with `to` (neither: the previous UTC day)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Transactions stopped before' })),
};

const byCurrency = (minor: Record<string, number>) => Object.fromEntries(Object.entries(minor).map(([c, m]) => [c, { amount: amountText(m, c), amountMinor: m }]));

function itemToBody(d: Discrepancy): Static<typeof ItemBody> {
  return {
    kind: d.kind,
    transactionId: d.transactionId,
    holdId: d.holdId,
    cdrId: d.cdrId,
    stationId: d.stationId,
    tenantId: d.tenantId,
    stoppedAt: d.stoppedAt ? d.stoppedAt.toISOString() : null,
    amount: amountText(d.amountMinor, d.currency),
    currency: d.currency,
    amountMinor: d.amountMinor,
    amountKnown: d.amountKnown,
    detail: detailOf(d),
    facts: d.facts,
  };
}

function totalsToBody(t: Totals) {
  return { count: t.count, byKind: Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, { count: t.byKind[k].count, byCurrency: byCurrency(t.byKind[k].byCurrency) }])) };
}

function runToBody(r: ReconciliationRun): Static<typeof RunBody> {
  return {
    id: r.id,
    tenantId: r.tenantId,
    siteIds: r.siteIds,
    from: r.period.from.toISOString(),
    to: r.period.to.toISOString(),
    trigger: r.trigger,
    gatewayChecked: r.gatewayChecked,
    transactions: r.transactions,
    itemCount: r.items,
    counts: r.counts,
    atStake: Object.fromEntries(Object.entries(r.atStake).map(([k, minor]) => [k, byCurrency(minor)])),
    tookMs: r.tookMs,
    createdAt: r.createdAt.toISOString(),
  };
}

/** CSV when asked by `?format=csv`, or by an Accept header that prefers text/csv to JSON. */
function wantsCsv(request: FastifyRequest, format: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

const asDate = (text: string | undefined) => (text === undefined ? undefined : new Date(text));

export function reconciliationRoutes(service: ReconciliationService, clock: Clock) {
  return (app: HttpApp): void => {
    const tags = ['reconciliation'];
    app.get(
      '/reconciliation',
      {
        config: { access: { permission: 'billing:read' } },
        schema: {
          tags,
          summary: 'Three-way reconciliation of a period: metering -> CDR -> capture -> the gateway\'s record; every discrepancy with the money at stake',
          querystring: Type.Object({
            ...PeriodFields,
            limit: Type.Integer({ minimum: 0, maximum: 10_000, default: 1000, description: 'Items listed (every item is counted in `totals`)' }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: the same items as text/csv (as does `Accept: text/csv`)' })),
          }),
          response: {
            200: {
              description: 'The discrepancies (JSON), or the same items as CSV',
              content: { 'application/json': { schema: ReconciliationBody }, 'text/csv': { schema: Type.String() } },
            },
            ...errorResponses('invalid-input'),
          },
        },
      },
      async (request, reply) => {
        const { from, to, format, limit, offset } = request.query;
        const period = requestedPeriod(asDate(from), asDate(to), clock());
        const result = await service.reconcile(scopeOf(request), period, { limit, offset });
        if (wantsCsv(request, format)) {
          const name = `reconciliation-${period.from.toISOString().slice(0, 10)}.csv`;
          return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(reconciliationCsv(result.items));
        }
        return {
          from: period.from.toISOString(),
          to: period.to.toISOString(),
          gateway: result.gateway,
          gatewayChecked: result.gatewayChecked,
          transactions: result.transactions,
          itemCount: result.itemCount,
          items: result.items.map(itemToBody),
          totals: totalsToBody(result.totals),
        };
      },
    );
    app.get(
      '/reconciliation/runs',
      {
        config: { access: { permission: 'billing:read' } },
        schema: {
          tags,
          summary: 'Stored reconciliation runs (daily and on demand), newest first: counts and money at stake per kind',
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
          response: { 200: Type.Object({ items: Type.Array(RunBody), total: Type.Integer() }) },
        },
      },
      async (request) => {
        const page = await service.listRuns(scopeOf(request), request.query);
        return { items: page.items.map(runToBody), total: page.total };
      },
    );
    app.post(
      '/reconciliation/runs',
      {
        config: { access: { permission: 'billing:write' } },
        schema: {
          tags,
          summary: 'Reconcile a period now and store the run\'s summary (the caller\'s tenant, or every tenant for a platform caller)',
          body: Type.Object(PeriodFields, { additionalProperties: false }),
          response: { 201: RunBody, ...errorResponses('invalid-input') },
        },
      },
      async (request, reply) => {
        const period = requestedPeriod(asDate(request.body.from), asDate(request.body.to), clock());
        reply.code(201);
        return runToBody(await service.runNow(scopeOf(request), period));
      },
    );
  };
}
