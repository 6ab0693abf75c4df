/**
 * REST routes of payments. For drivers (public, rate-limited per address): start a paid session
 * with a payment method the gateway tokenised in their browser, and follow it by its unguessable
 * id. For operators (`billing:read`): holds and their transition log. For the gateway: the signed
 * webhook, read as the raw bytes its signature covers.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { Nullable } from '../../http/http-schemas.ts';
import { CodedError } from '../../kernel/errors.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import type { PaymentHold } from './payment-hold.ts';
import type { PaymentService } from './payment-service.ts';

const HoldBody = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  stationId: Type.String(),
  evseId: Nullable(Type.Integer()),
  transactionId: Nullable(Type.String()),
  state: Type.String({ description: 'authorizing, authorized, declined, capturing, captured, releasing, released, expired' }),
  currency: Type.String(),
  authorizedMinor: Type.Integer({ description: 'Held on the card now (minor units)' }),
  captureMinor: Nullable(Type.Integer({ description: 'Being captured or captured' })),
  shortfallMinor: Type.Integer({ description: 'Owed beyond the hold, not collected' }),
  cdrId: Nullable(Type.String()),
  gatewayRef: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

function holdToBody(h: PaymentHold): Static<typeof HoldBody> {
  return {
    id: h.id,
    tenantId: h.tenantId,
    stationId: h.stationId,
    evseId: h.evseId,
    transactionId: h.transactionId,
    state: h.state,
    currency: h.currency,
    authorizedMinor: h.authorizedMinor,
    captureMinor: h.captureMinor,
    shortfallMinor: h.shortfallMinor,
    cdrId: h.cdrId,
    gatewayRef: h.gatewayRef,
    lastError: h.lastError,
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
  };
}

/** What a driver sees of their own session: no token, no gateway reference, no tenant. */
const DriverView = Type.Object({
  paymentId: Type.String(),
  state: Type.String(),
  stationId: Type.String(),
  evseId: Nullable(Type.Integer()),
  currency: Type.String(),
  heldMinor: Type.Integer(),
  capturedMinor: Nullable(Type.Integer()),
  charging: Type.Boolean({ description: 'A session was started with this payment' }),
  energyWh: Nullable(Type.Number({ description: 'Delivered so far (or in total, once ended)' })),
  cost: Nullable(Type.String({ description: 'Cost so far including tax, decimal text in `currency`: the same engine as the receipt' })),
  ended: Type.Boolean({ description: 'The session ended: `cost` is the receipt\'s total' }),
});

type Progress = { energyWh: number | null; totalInclTax: string; closed: boolean } | null;

const driverView = (h: PaymentHold, progress: Progress = null): Static<typeof DriverView> => ({
  paymentId: h.id,
  state: h.state,
  stationId: h.stationId,
  evseId: h.evseId,
  currency: h.currency,
  heldMinor: h.authorizedMinor,
  capturedMinor: h.state === 'captured' ? h.captureMinor : null,
  charging: h.transactionId !== null,
  energyWh: progress?.energyWh ?? null,
  cost: progress?.totalInclTax ?? null,
  ended: progress?.closed ?? false,
});

const PaymentParams = Type.Object({ paymentId: Type.String({ format: 'uuid' }) });

/** `payments` is null when no gateway is configured: writes are a conflict, a payment id is not-found. */
export function paymentRoutes(payments: PaymentService | null) {
  const service = (): PaymentService => {
    if (!payments) throw new CodedError('conflict', 'payments are not configured on this CSMS (payments.gateway is none)');
    return payments;
  };
  const reader = (id: string): PaymentService => {
    if (!payments) throw new CodedError('not-found', `payment ${id} does not exist`);
    return payments;
  };
  return async (app: HttpApp): Promise<void> => {
    const tags = ['payments'];
    app.post(
      '/pay/sessions',
      {
        config: { access: { public: true } },
        schema: {
          tags,
          summary: 'Start a paid session: hold on the card (a payment method the gateway tokenised in the browser), then a remote start',
          body: Type.Object(
            { stationId: Type.String({ pattern: stationIdPattern }), evseId: Type.Optional(Type.Integer({ minimum: 1 })), paymentMethod: Type.String({ minLength: 1, maxLength: 255 }) },
            { additionalProperties: false },
          ),
          response: { 201: Type.Intersect([DriverView, Type.Object({ commandId: Nullable(Type.String()) })]), ...errorResponses('invalid-input', 'not-found', 'conflict') },
        },
      },
      async (request, reply) => {
        const { hold, commandId } = await service().startPaidSession({ stationId: request.body.stationId, evseId: request.body.evseId ?? null, paymentMethod: request.body.paymentMethod });
        return reply.code(201).send({ ...driverView(hold), commandId });
      },
    );
    app.get(
      '/pay/sessions/:paymentId',
      { config: { access: { public: true } }, schema: { tags, summary: 'A paid session as its driver sees it (the id is the secret)', params: PaymentParams, response: { 200: DriverView, ...errorResponses('not-found') } } },
      async (request) => {
        const { hold, progress } = await reader(request.params.paymentId).withProgress(request.params.paymentId);
        return driverView(hold, progress);
      },
    );
    app.get(
      '/payments',
      {
        config: { access: { permission: 'billing:read' } },
        schema: {
          tags,
          summary: 'Card holds, newest first',
          querystring: Type.Object({ stationId: Type.Optional(Type.String()), state: Type.Optional(Type.String()), limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
          response: { 200: Type.Object({ items: Type.Array(HoldBody), total: Type.Integer() }) },
        },
      },
      async (request) => {
        const page = payments ? await payments.list(scopeOf(request), request.query) : { items: [], total: 0 };
        return { items: page.items.map(holdToBody), total: page.total };
      },
    );
    app.get(
      '/payments/:paymentId',
      {
        config: { access: { permission: 'billing:read', owner: { kind: 'payment', param: 'paymentId' } } },
        schema: {
          tags,
          summary: 'A card hold with every transition it went through',
          params: PaymentParams,
          response: { 200: Type.Intersect([HoldBody, Type.Object({ log: Type.Array(Type.Object({ state: Type.String(), at: Type.String(), detail: Type.Record(Type.String(), Type.Unknown()) })) })]), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const hold = await reader(request.params.paymentId).get(request.params.paymentId);
        const events = await reader(hold.id).events(hold.id);
        // The payment method id is the gateway's token of a card: not for screens.
        return { ...holdToBody(hold), log: events.map((e) => ({ state: e.state, at: e.at.toISOString(), detail: Object.fromEntries(Object.entries(e.detail).filter(([k]) => k !== 'paymentMethod')) })) };
      },
    );
    await app.register(async (raw) => {
      // The signature covers the exact bytes sent: keep them as text here (and only here).
      raw.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      raw.post(
        '/payments/webhook',
        {
          config: { access: { public: true } },
          schema: { tags, summary: 'The payment gateway\'s signed webhook (Stripe-Signature); a duplicate delivery changes nothing', response: { 200: Type.Object({ received: Type.Boolean(), outcome: Type.String() }), ...errorResponses('invalid-input') } },
        },
        async (request) => {
          if (typeof request.body !== 'string') throw new CodedError('invalid-input', 'webhook body must be JSON');
          const outcome = await service().onWebhook(request.body, request.headers['stripe-signature'] as string | undefined);
          return { received: true, outcome };
        },
      );
    });
  };
}
