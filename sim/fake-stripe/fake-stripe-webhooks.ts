/**
 * Events and their webhook delivery. Each state change makes one Event (`evt_...`) that is POSTed as
 * JSON to the configured endpoint, signed the way Stripe signs: header
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, which the
 * official client's `webhooks.constructEvent(rawBody, header, secret)` verifies.
 *
 * Like Stripe, delivery is asynchronous (never delays the API answer), at least once (retried when
 * the endpoint fails or answers non-2xx), and unordered. `duplicate` sends every event twice with the
 * same id, which a receiver must tolerate.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { newId, unixSeconds } from './fake-stripe-ids.ts';
import type {
  FakeStripeEvent, FakeStripeEventType, FakeStripePaymentIntent, FakeStripeRequestContext,
} from './fake-stripe-types.ts';

export const DEFAULT_WEBHOOK_SECRET = 'whsec_chargebridge';
export const DEFAULT_RETRY_DELAYS_MS = [200, 1000, 5000];
/** How long one delivery attempt may take before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 10_000;

export interface FakeStripeWebhookConfig {
  url: string | null;
  secret: string;
  duplicate: boolean;
  retryDelaysMs: number[];
}

/** The header value Stripe sends: the timestamp is part of what is signed, against replays. */
export function stripeSignatureHeader(secret: string, payload: string, timestampSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

export class FakeStripeWebhooks {
  private events: FakeStripeEvent[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<http.ClientRequest>();
  private closed = false;
  /** Bumped when deliveries are dropped, so callbacks of dropped attempts schedule no retry. */
  private generation = 0;

  constructor(
    private config: FakeStripeWebhookConfig,
    private readonly clock: () => number,
    private readonly log: (line: string) => void,
  ) {}

  get secret(): string {
    return this.config.secret;
  }

  setUrl(url: string | null, secret?: string): void {
    this.config = { ...this.config, url, secret: secret ?? this.config.secret };
  }

  setDuplicate(on: boolean): void {
    this.config = { ...this.config, duplicate: on };
  }

  list(): FakeStripeEvent[] {
    return structuredClone(this.events);
  }

  /** Forgets events and drops pending deliveries; `config` becomes the configuration. */
  reset(config: FakeStripeWebhookConfig): void {
    this.stopDeliveries();
    this.events = [];
    this.config = config;
  }

  close(): void {
    this.closed = true;
    this.stopDeliveries();
  }

  /** Records the event for a change of `pi` and starts delivering it (if an endpoint is set). */
  emit(type: FakeStripeEventType, pi: FakeStripePaymentIntent, ctx: FakeStripeRequestContext): FakeStripeEvent {
    const { url, duplicate } = this.config;
    const copies = url ? (duplicate ? 2 : 1) : 0;
    const event: FakeStripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: ctx.apiVersion,
      created: unixSeconds(this.clock()),
      data: { object: structuredClone(pi) },
      livemode: false,
      pending_webhooks: copies,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      type,
    };
    this.events.push(event);
    if (url && !this.closed) {
      const body = JSON.stringify(event, null, 2);
      for (let i = 0; i < copies; i++) this.attempt(url, event, body, 0);
    }
    return structuredClone(event);
  }

  private stopDeliveries(): void {
    this.generation++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
  }

  private attempt(url: string, event: FakeStripeEvent, body: string, attempt: number): void {
    // Each attempt is signed anew with the wall-clock time, as Stripe does: receivers compare the
    // timestamp with their own clock (the official client allows 300 s), so the injected clock,
    // which tests may run days ahead, must not be used here.
    const header = stripeSignatureHeader(this.config.secret, body, Math.floor(Date.now() / 1000));
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(target, {
      method: 'POST',
      timeout: ATTEMPT_TIMEOUT_MS,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Stripe-Signature': header,
        'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks) chargebridge-fake-stripe',
      },
    });
    this.inFlight.add(req);
    const generation = this.generation;
    let done = false;
    const finish = (ok: boolean, detail: string) => {
      if (done || generation !== this.generation) return;
      done = true;
      this.inFlight.delete(req);
      this.log(`webhook ${event.type} ${event.id} -> ${url}: ${detail}${ok ? '' : ` (attempt ${attempt + 1})`}`);
      if (!ok) this.retry(url, event, body, attempt);
    };
    req.on('response', (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      finish(status >= 200 && status < 300, String(status));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => finish(false, err.message));
    req.end(body);
  }

  private retry(url: string, event: FakeStripeEvent, body: string, attempt: number): void {
    const delay = this.config.retryDelaysMs[attempt];
    if (delay === undefined || this.closed) {
      if (!this.closed) this.log(`webhook ${event.type} ${event.id}: giving up after ${attempt + 1} attempts`);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(url, event, body, attempt + 1);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
