/** REST routes for transactions: list with filters, detail with timeline, meter-value series. */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { energyWh, TRANSACTION_FLAGS, type Transaction } from './transaction.ts';
import type { TransactionCost, TransactionService } from './transaction-service.ts';
import { Nullable } from '../../http/http-schemas.ts';


export const TransactionBody = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  tenantId: Type.String(),
  ocppVersion: Type.String(),
  ocppTransactionId: Type.String({ description: '1.6: the integer the CSMS assigned; 2.x: the station\'s transactionId' }),
  evseId: Nullable(Type.Integer()),
  connectorId: Nullable(Type.Integer()),
  idToken: Nullable(Type.String()),
  idTokenType: Nullable(Type.String()),
  state: Type.Union([Type.Literal('active'), Type.Literal('completed')]),
  startedAt: Nullable(Type.String()),
  stoppedAt: Nullable(Type.String()),
  meterStartWh: Nullable(Type.Number({ description: 'Wh, exact to the mWh' })),
  meterStopWh: Nullable(Type.Number({ description: 'The station\'s stop reading, never replaced; an estimate only when flagged `estimated` (the station never sent a stop)' })),
  lastMeterWh: Nullable(Type.Number()),
  lastMeterAt: Nullable(Type.String()),
  highestMeterWh: Nullable(Type.Number({ description: 'Highest energy register reading received: beside an implausible stop (flag meter-went-backwards), the other value to bill from' })),
  energyWh: Nullable(Type.Number({ description: 'Stop (or last) reading minus start, exact to the mWh; null when no start is known or the stop is proven below the start' })),
  stopReason: Nullable(Type.String()),
  chargingState: Nullable(Type.String()),
  offline: Type.Boolean({ description: 'Some part of the session happened while the station was offline' }),
  flags: Type.Array(Type.String(), { description: 'invalid-token-offline, unauthorized-token, missing-start, seqno-gap, meter-went-backwards, stuck (closed by the CSMS), estimated (stop reading estimated; a late real stop replaces it)' }),
  remoteStartId: Nullable(Type.Integer()),
  reservationId: Nullable(Type.Integer()),
  cost: Nullable(
    Type.Object({ currency: Type.String(), totalExclTax: Type.String({ description: 'Decimal text, rounded once to the currency\'s minor units' }), totalInclTax: Type.String() }),
    { description: 'The price: live while the session is open (the same engine as the CDR), the CDR\'s once closed; null when no tariff applies (docs/billing.md)' },
  ),
  updatedAt: Type.String(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function transactionToBody(tx: Transaction, cost: TransactionCost | null = null): Static<typeof TransactionBody> {
  return {
    id: tx.id,
    stationId: tx.stationId,
    tenantId: tx.tenantId,
    ocppVersion: tx.ocppVersion,
    ocppTransactionId: tx.ocppTransactionId,
    evseId: tx.evseId,
    connectorId: tx.connectorId,
    idToken: tx.idToken,
    idTokenType: tx.idTokenType,
    state: tx.state,
    startedAt: iso(tx.startedAt),
    stoppedAt: iso(tx.stoppedAt),
    meterStartWh: tx.meterStartWh,
    meterStopWh: tx.meterStopWh,
    lastMeterWh: tx.lastMeterWh,
    lastMeterAt: iso(tx.lastMeterAt),
    highestMeterWh: tx.highestMeterWh,
    energyWh: energyWh(tx),
    stopReason: tx.stopReason,
    chargingState: tx.chargingState,
    offline: tx.offline,
    flags: tx.flags,
    remoteStartId: tx.remoteStartId,
    reservationId: tx.reservationId,
    cost,
    updatedAt: tx.updatedAt.toISOString(),
  };
}

const TimelineEntry = Type.Object({
  kind: Type.String(),
  seqNo: Nullable(Type.Integer()),
  triggerReason: Nullable(Type.String()),
  occurredAt: Type.String(),
  receivedAt: Type.String(),
  offline: Type.Boolean(),
  summary: Type.Record(Type.String(), Type.Unknown()),
});

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function transactionRoutes(service: TransactionService) {
  return (app: HttpApp): void => {
    const tags = ['transactions'];
    app.get(
      '/transactions',
      {
        config: { access: { permission: 'transactions:read' } },
        schema: {
          tags,
          summary: 'List transactions, newest first',
          querystring: Type.Object({
            stationId: Type.Optional(Type.String()),
            idToken: Type.Optional(Type.String()),
            state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('completed')])),
            flag: Type.Optional(Type.Union(TRANSACTION_FLAGS.map((f) => Type.Literal(f)), { description: 'only transactions with this flag, e.g. meter-went-backwards (stops to review)' })),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'started at or after' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'started before' })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(TransactionBody), total: Type.Integer() }) },
        },
      },
      async (request) => {
        const { from, to, ...rest } = request.query;
        const page = await service.list({ ...rest, scope: scopeOf(request), from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
        const costs = await service.costs(page.items);
        return { items: page.items.map((tx) => transactionToBody(tx, costs.get(tx.id))), total: page.total };
      },
    );
    app.get(
      '/transactions/:id',
      {
        config: { access: { permission: 'transactions:read', owner: { kind: 'transaction', param: 'id' } } },
        schema: {
          tags,
          summary: 'A transaction with the timeline of every message received about it',
          params: IdParams,
          response: { 200: Type.Intersect([TransactionBody, Type.Object({ timeline: Type.Array(TimelineEntry) })]), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const { transaction, timeline } = await service.get(request.params.id);
        const costs = await service.costs([transaction]);
        return {
          ...transactionToBody(transaction, costs.get(transaction.id)),
          timeline: timeline.map((e) => ({
            kind: e.kind,
            seqNo: e.seqNo,
            triggerReason: e.triggerReason,
            occurredAt: e.occurredAt.toISOString(),
            receivedAt: e.receivedAt.toISOString(),
            offline: e.offline,
            summary: e.summary,
          })),
        };
      },
    );
    app.get(
      '/transactions/:id/meter-values',
      {
        config: { access: { permission: 'transactions:read', owner: { kind: 'transaction', param: 'id' } } },
        schema: {
          tags,
          summary: 'Meter values of a transaction as a time series (energy in Wh, power in W)',
          params: IdParams,
          querystring: Type.Object({ measurand: Type.Optional(Type.String()), limit: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }) }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  at: Type.String(),
                  measurand: Type.String(),
                  phase: Nullable(Type.String()),
                  location: Nullable(Type.String()),
                  context: Nullable(Type.String()),
                  value: Type.Number(),
                  unit: Nullable(Type.String()),
                }),
              ),
            }),
            ...errorResponses('not-found'),
          },
        },
      },
      async (request) => {
        const samples = await service.meterValues(request.params.id, request.query);
        return { items: samples.map((s) => ({ ...s, at: s.at.toISOString() })) };
      },
    );
  };
}
