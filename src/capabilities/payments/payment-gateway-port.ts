/**
 * The one port every payment gateway is reached through (Stripe today; an Adyen or a terminal
 * provider would be another adapter). Outcomes a gateway is expected to give are values: a decline
 * is not an error, and neither is an unreachable gateway (the hold's state machine retries later).
 * Every call that moves money carries an idempotency key: repeated, it must not act twice.
 */

export type GatewayFailure =
  /** The card or its issuer said no. */
  | { ok: false; kind: 'declined'; code: string; message: string }
  /** Timeout, connection lost, 5xx: whether it acted is unknown; call again with the same key. */
  | { ok: false; kind: 'unavailable'; code: string; message: string }
  /** The gateway refused the request itself (wrong state, bad amount): retrying will not help. */
  | { ok: false; kind: 'rejected'; code: string; message: string };

export type GatewayResult<T> = ({ ok: true } & T) | GatewayFailure;

/** What the gateway says an authorization is now. */
export interface GatewayAuthorization {
  ref: string;
  state: 'authorized' | 'captured' | 'canceled' | 'pending';
  authorizedMinor: number;
  capturedMinor: number;
  currency: string;
  /** Our hold id, as we gave it when authorizing. */
  holdId: string | null;
  createdAt: Date;
}

export interface GatewayWebhookEvent {
  id: string;
  type: string;
  authorization: GatewayAuthorization;
}

export interface PaymentGateway {
  readonly name: string;
  authorize(input: { holdId: string; amountMinor: number; currency: string; paymentMethod: string; description: string; metadata: Record<string, string>; key: string }): Promise<GatewayResult<{ authorization: GatewayAuthorization }>>;
  /** Raises the authorized amount to `totalMinor` (not by it). */
  increment(ref: string, totalMinor: number, key: string): Promise<GatewayResult<{ authorization: GatewayAuthorization }>>;
  /** Captures `amountMinor` (at most what is authorized); the rest of the hold is released. */
  capture(ref: string, amountMinor: number, key: string): Promise<GatewayResult<{ authorization: GatewayAuthorization }>>;
  /** Releases the whole hold. */
  release(ref: string, key: string): Promise<GatewayResult<{ authorization: GatewayAuthorization }>>;
  find(ref: string): Promise<GatewayResult<{ authorization: GatewayAuthorization }>>;
  /** Every authorization created in [from, to), for reconciliation. */
  list(from: Date, to: Date): AsyncIterable<GatewayAuthorization>;
  /** A webhook's event when its signature is valid, else null. */
  webhookEvent(rawBody: string, signature: string | undefined): GatewayWebhookEvent | null;
}
