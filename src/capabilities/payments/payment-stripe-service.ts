/**
 * The Stripe adapter of the payment gateway port, on the official `stripe` package (ADR 24).
 * A hold is a PaymentIntent with `capture_method: manual`, confirmed at once with the card's
 * payment method, asking for incremental authorization where the card supports it; capture takes
 * `amount_to_capture` (Stripe releases the rest), cancel releases it all. Every call that moves
 * money passes our idempotency key. The client retries nothing itself: the hold's state machine
 * decides when to call again, with the same key.
 */
import Stripe from 'stripe';
import type { GatewayAuthorization, GatewayFailure, GatewayResult, GatewayWebhookEvent, PaymentGateway } from './payment-gateway-port.ts';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string | null;
  /** A Stripe-compatible server instead of api.stripe.com (the project's fake, in tests and demos). */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  timeoutMs: number;
}

function toAuthorization(intent: Stripe.PaymentIntent): GatewayAuthorization {
  const state = intent.status === 'requires_capture' ? 'authorized' : intent.status === 'succeeded' ? 'captured' : intent.status === 'canceled' ? 'canceled' : 'pending';
  return {
    ref: intent.id,
    state,
    authorizedMinor: intent.amount,
    capturedMinor: intent.amount_received ?? 0,
    currency: intent.currency.toUpperCase(),
    holdId: intent.metadata?.holdId ?? null,
    createdAt: new Date(intent.created * 1000),
  };
}

/** Stripe's errors as the port's outcomes: card errors are declines; connection, rate and 5xx errors are "try again". */
function failure(error: unknown): GatewayFailure {
  if (error instanceof Stripe.errors.StripeCardError) return { ok: false, kind: 'declined', code: error.decline_code ?? error.code ?? 'card_declined', message: error.message };
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    (error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500)
  ) {
    return { ok: false, kind: 'unavailable', code: error.code ?? error.type, message: error.message };
  }
  if (error instanceof Stripe.errors.StripeError) return { ok: false, kind: 'rejected', code: error.code ?? error.type, message: error.message };
  return { ok: false, kind: 'unavailable', code: 'unknown', message: (error as Error)?.message ?? String(error) };
}

export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe';
  private readonly stripe: Stripe;

  constructor(private readonly settings: StripeSettings) {
    this.stripe = new Stripe(settings.secretKey, {
      maxNetworkRetries: 0,
      timeout: settings.timeoutMs,
      ...(settings.host ? { host: settings.host } : {}),
      ...(settings.port ? { port: settings.port } : {}),
      ...(settings.protocol ? { protocol: settings.protocol } : {}),
    });
  }

  private async call(work: () => Promise<Stripe.PaymentIntent>): Promise<GatewayResult<{ authorization: GatewayAuthorization }>> {
    try {
      return { ok: true, authorization: toAuthorization(await work()) };
    } catch (error) {
      return failure(error);
    }
  }

  authorize(input: Parameters<PaymentGateway['authorize']>[0]) {
    return this.call(() =>
      this.stripe.paymentIntents.create(
        {
          amount: input.amountMinor,
          currency: input.currency.toLowerCase(),
          capture_method: 'manual',
          confirm: true,
          payment_method: input.paymentMethod,
          allowed_payment_method_types: ['card'],
          description: input.description,
          metadata: { ...input.metadata, holdId: input.holdId },
          payment_method_options: { card: { request_incremental_authorization: 'if_available' } },
        },
        { idempotencyKey: input.key },
      ),
    );
  }

  increment(ref: string, totalMinor: number, key: string) {
    return this.call(() => this.stripe.paymentIntents.incrementAuthorization(ref, { amount: totalMinor }, { idempotencyKey: key }));
  }

  capture(ref: string, amountMinor: number, key: string) {
    return this.call(() => this.stripe.paymentIntents.capture(ref, { amount_to_capture: amountMinor }, { idempotencyKey: key }));
  }

  release(ref: string, key: string) {
    return this.call(() => this.stripe.paymentIntents.cancel(ref, { cancellation_reason: 'abandoned' }, { idempotencyKey: key }));
  }

  find(ref: string) {
    return this.call(() => this.stripe.paymentIntents.retrieve(ref));
  }

  async *list(from: Date, to: Date): AsyncIterable<GatewayAuthorization> {
    const created = { gte: Math.floor(from.getTime() / 1000), lt: Math.ceil(to.getTime() / 1000) };
    for await (const intent of this.stripe.paymentIntents.list({ created, limit: 100 })) yield toAuthorization(intent);
  }

  webhookEvent(rawBody: string, signature: string | undefined): GatewayWebhookEvent | null {
    if (!this.settings.webhookSecret || !signature) return null;
    try {
      const event = this.stripe.webhooks.constructEvent(rawBody, signature, this.settings.webhookSecret);
      if (!event.type.startsWith('payment_intent.')) return null;
      return { id: event.id, type: event.type, authorization: toAuthorization(event.data.object as Stripe.PaymentIntent) };
    } catch {
      return null;
    }
  }
}
