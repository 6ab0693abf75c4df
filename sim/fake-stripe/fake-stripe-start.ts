/** startFakeStripe: wires the stores, faults, idempotency and webhooks to a listening server. */
import type { AddressInfo } from 'node:net';
import { FakeStripeFaults } from './fake-stripe-faults.ts';
import { FakeStripeIdempotency } from './fake-stripe-idempotency.ts';
import { FakeStripePaymentIntents } from './fake-stripe-payment-intents.ts';
import { FakeStripePaymentMethods } from './fake-stripe-payment-methods.ts';
import { FakeStripeHttpServer } from './fake-stripe-server.ts';
import type { FakeStripe, FakeStripeOptions } from './fake-stripe-types.ts';
import { DEFAULT_RETRY_DELAYS_MS, DEFAULT_WEBHOOK_SECRET, FakeStripeWebhooks, type FakeStripeWebhookConfig } from './fake-stripe-webhooks.ts';

export const DEFAULT_SECRET_KEY = 'sk_test_chargebridge';
export const DEFAULT_PUBLISHABLE_KEY = 'pk_test_chargebridge';
/** Stripe cancels uncaptured card authorizations after 7 days by default. */
export const DEFAULT_AUTHORIZATION_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;
/** How often expired authorizations are looked for without anybody asking (so their webhooks go out). */
const SWEEP_INTERVAL_MS = 60_000;

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const keys = { secretKey: options.secretKey ?? DEFAULT_SECRET_KEY, publishableKey: options.publishableKey ?? DEFAULT_PUBLISHABLE_KEY };
  const latencyMs = options.latencyMs ?? 0;
  const initialWebhooks = (): FakeStripeWebhookConfig => ({
    url: options.webhook?.url ?? null,
    secret: options.webhook?.secret ?? DEFAULT_WEBHOOK_SECRET,
    duplicate: options.duplicateWebhooks ?? false,
    retryDelaysMs: [...(options.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)],
  });

  const faults = new FakeStripeFaults(latencyMs);
  faults.setLatency(latencyMs);
  const webhooks = new FakeStripeWebhooks(initialWebhooks(), clock, log);
  const paymentMethods = new FakeStripePaymentMethods(clock);
  const intents = new FakeStripePaymentIntents({
    clock,
    paymentMethods,
    emit: (type, pi, ctx) => webhooks.emit(type, pi, ctx),
    takeIncrementDecline: () => faults.takeIncrementDecline(),
    authorizationExpiryMs: options.authorizationExpiryMs ?? DEFAULT_AUTHORIZATION_EXPIRY_MS,
  });
  const idempotency = new FakeStripeIdempotency(clock);
  let handle: FakeStripe | undefined;
  const http = new FakeStripeHttpServer({
    keys, stores: { intents, paymentMethods }, faults, idempotency, clock, log, control: () => handle!,
  });

  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(options.port ?? 0, host, () => {
      http.server.off('error', reject);
      resolve();
    });
  });
  const port = (http.server.address() as AddressInfo).port;
  // A wildcard bind address is no place to connect to; clients use loopback.
  const connectHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const urlHost = connectHost.includes(':') ? `[${connectHost}]` : connectHost;
  const sweep = setInterval(() => intents.sweepExpired(), SWEEP_INTERVAL_MS);
  sweep.unref();
  let closing: Promise<void> | undefined;

  handle = {
    url: `http://${urlHost}:${port}`,
    host: connectHost,
    port,
    secretKey: keys.secretKey,
    publishableKey: keys.publishableKey,
    get webhookSecret() {
      return webhooks.secret;
    },
    stripeConfig: () => ({ host: connectHost, port, protocol: 'http' as const }),
    failNext: (count, failOptions) => faults.failNext(count, failOptions),
    declineNextIncrement: (count = 1) => faults.declineNextIncrement(count),
    setLatency: (ms) => faults.setLatency(ms),
    setWebhook: (url, secret) => webhooks.setUrl(url, secret),
    setDuplicateWebhooks: (on) => webhooks.setDuplicate(on),
    requests: () => structuredClone(http.requestLog),
    events: () => webhooks.list(),
    paymentIntent: (id) => intents.peek(id),
    sweepExpired: () => intents.sweepExpired(),
    reset: () => {
      faults.reset(latencyMs);
      idempotency.reset();
      intents.reset();
      paymentMethods.reset();
      webhooks.reset(initialWebhooks());
      http.requestLog = [];
      http.dropHeld();
    },
    close: () => {
      closing ??= (async () => {
        clearInterval(sweep);
        webhooks.close();
        await http.close();
      })();
      return closing;
    },
  };
  return handle;
}
