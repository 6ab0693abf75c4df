/**
 * Shapes shared by the fake Stripe server: the objects it answers with (a subset of Stripe's
 * PaymentIntent, PaymentMethod and Event objects, field names as Stripe spells them), its options,
 * and the handle a test or the CLI gets back.
 */

/** A parsed form or query: Stripe's bracket notation (`metadata[stationId]=X`) becomes nesting. */
export type FakeStripeParamValue = string | FakeStripeParams | FakeStripeParamValue[];
export interface FakeStripeParams { [key: string]: FakeStripeParamValue }

export type FakeStripeErrorType = 'invalid_request_error' | 'card_error' | 'api_error' | 'idempotency_error';

/** The `error` member of a Stripe error answer. */
export interface FakeStripeErrorBody {
  type: FakeStripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  charge?: string;
  payment_intent?: FakeStripePaymentIntent;
  payment_method?: FakeStripePaymentMethod;
  doc_url?: string;
}

export interface FakeStripeCard {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  funding: 'credit';
  country: 'US';
}

export interface FakeStripePaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: FakeStripeCard;
  billing_details: { address: null; email: null; name: null; phone: null };
  created: number;
  customer: null;
  livemode: false;
  metadata: Record<string, string>;
}

export type FakeStripePaymentIntentStatus =
  | 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing'
  | 'requires_capture' | 'succeeded' | 'canceled';

export type FakeStripeCaptureMethod = 'automatic' | 'automatic_async' | 'manual';

export interface FakeStripePaymentIntent {
  id: string;
  object: 'payment_intent';
  /** What the caller allowed (null with automatic payment methods); payment_method_types is what applies. */
  allowed_payment_method_types: string[] | null;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  automatic_payment_methods: { enabled: boolean; allow_redirects?: 'always' | 'never' } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: FakeStripeCaptureMethod;
  client_secret: string;
  confirmation_method: 'automatic';
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  last_payment_error: FakeStripeErrorBody | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  next_action: null;
  payment_method: string | null;
  payment_method_options: { card: { request_three_d_secure: 'automatic'; request_incremental_authorization?: 'if_available' | 'never' } };
  payment_method_types: string[];
  receipt_email: string | null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  status: FakeStripePaymentIntentStatus;
}

export type FakeStripeEventType =
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.succeeded'
  | 'payment_intent.canceled'
  | 'payment_intent.payment_failed';

export interface FakeStripeEvent {
  id: string;
  object: 'event';
  api_version: string | null;
  created: number;
  data: { object: FakeStripePaymentIntent };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: FakeStripeEventType;
}

/** Who caused a change: carried into the event's `request` member, as Stripe does. */
export interface FakeStripeRequestContext {
  requestId: string | null;
  idempotencyKey: string | null;
  apiVersion: string | null;
}

export type FakeStripeFailMode = 'error500' | 'timeout' | 'applyThenDrop';

export interface FakeStripeFailOptions {
  /** Which requests the fault hits: a RegExp tested on the path, or a string the path contains. Default: any. */
  path?: RegExp | string;
  mode: FakeStripeFailMode;
}

/** One API request as received (the test's view of "what did the client send"). */
export interface FakeStripeRequestRecord {
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: FakeStripeParams;
  /** Receipt time by the injected clock, in ms. */
  time: number;
  /** HTTP status answered; absent while in progress or when no answer was sent (timeout, drop). */
  status?: number;
  replayed?: boolean;
  fault?: FakeStripeFailMode;
}

export interface FakeStripeWebhookOptions {
  url: string;
  secret?: string;
}

export interface FakeStripeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default sk_test_chargebridge. */
  secretKey?: string;
  /** Default pk_test_chargebridge. */
  publishableKey?: string;
  /** Delay before every API answer, ms. Default 0. */
  latencyMs?: number;
  webhook?: FakeStripeWebhookOptions;
  /** Send every event twice (same event id), as Stripe's at-least-once delivery may. */
  duplicateWebhooks?: boolean;
  /** Delays between webhook delivery attempts; its length is the number of retries. Default [200, 1000, 5000]. */
  webhookRetryDelaysMs?: number[];
  /** Age after which an uncaptured authorization is canceled. Default 7 days. */
  authorizationExpiryMs?: number;
  /** Time source in ms (injectable so tests expire authorizations without sleeping). Default Date.now. */
  clock?: () => number;
  /** One line per request and per webhook delivery. Default: silent. */
  log?: (line: string) => void;
}

/** What startFakeStripe gives back. */
export interface FakeStripe {
  /** e.g. http://127.0.0.1:12111 */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly secretKey: string;
  readonly publishableKey: string;
  readonly webhookSecret: string;
  /** Spread into `new Stripe(key, { ...fake.stripeConfig(), maxNetworkRetries: 0 })`. */
  stripeConfig(): { host: string; port: number; protocol: 'http' };
  /** The next `count` API requests matching `path` get the fault `mode`. */
  failNext(count: number, options: FakeStripeFailOptions): void;
  /** The next `count` increment_authorization attempts are declined (default 1). */
  declineNextIncrement(count?: number): void;
  setLatency(ms: number): void;
  /** Change (or with null stop) webhook delivery; the secret stays unless given. */
  setWebhook(url: string | null, secret?: string): void;
  setDuplicateWebhooks(on: boolean): void;
  /** Copies of the requests received so far, oldest first. */
  requests(): FakeStripeRequestRecord[];
  /** Copies of the events created so far, oldest first (each once, however often it was delivered). */
  events(): FakeStripeEvent[];
  /** A copy of the stored PaymentIntent (expiry applied first, as any look does), or undefined. */
  paymentIntent(id: string): FakeStripePaymentIntent | undefined;
  /** Cancels every authorization past its window now; returns the ids canceled. */
  sweepExpired(): string[];
  /** Back to the state right after start: no objects, keys, requests, events or faults; options as given. */
  reset(): void;
  /** Stops listening and destroys every socket, held ones included; pending webhook retries are dropped. */
  close(): Promise<void>;
}
