/**
 * Stripe's idempotent requests: the first POST with an `Idempotency-Key` saves its status and body;
 * a later POST with the same key and the same parameters gets exactly that answer again (with
 * `Idempotent-Replayed: true`) and nothing is executed twice. The same key with other parameters or
 * another endpoint is an idempotency_error (400). While the first request is still running, a second
 * one with its key gets 409. Keys are forgotten 24 hours after first use.
 */
import { createHash } from 'node:crypto';
import { FakeStripeError } from './fake-stripe-errors.ts';

export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

interface Entry {
  fingerprint: string;
  createdMs: number;
  inFlight: boolean;
  status?: number;
  body?: string;
}

export type IdempotencyDecision =
  | { kind: 'execute' }
  | { kind: 'replay'; status: number; body: string };

export class FakeStripeIdempotency {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: () => number) {}

  reset(): void {
    this.entries.clear();
  }

  /**
   * Looks a key up before executing. `request` names the method, path and canonical parameters.
   * Throws the Stripe error for a mismatch (400) or a request still in flight (409).
   */
  begin(key: string, request: string): IdempotencyDecision {
    // Only a digest is kept: the parameters of a PaymentMethod creation hold a full card number.
    const fingerprint = createHash('sha256').update(request).digest('hex');
    const now = this.clock();
    const found = this.entries.get(key);
    if (found && now - found.createdMs >= IDEMPOTENCY_KEY_TTL_MS) this.entries.delete(key);
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { fingerprint, createdMs: now, inFlight: true });
      return { kind: 'execute' };
    }
    if (entry.fingerprint !== fingerprint) {
      throw new FakeStripeError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. `
          + `Try using a key other than '${key}' if you meant to execute a different request.`,
      }, false);
    }
    if (entry.inFlight || entry.status === undefined || entry.body === undefined) {
      throw new FakeStripeError(409, {
        type: 'invalid_request_error',
        code: 'idempotency_key_in_use',
        message: `There is currently another in-progress request using this idempotency key (that probably means you submitted twice, `
          + `and the other request is still going through): ${key}. Please try again later.`,
      }, false);
    }
    return { kind: 'replay', status: entry.status, body: entry.body };
  }

  /** Saves the answer of an executed request; later requests with the key replay it. */
  save(key: string, status: number, body: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.status = status;
    entry.body = body;
  }

  /** The request's answer went out (or was dropped): the key is no longer in use. */
  settle(key: string): void {
    const entry = this.entries.get(key);
    if (entry) entry.inFlight = false;
  }

  /** Nothing was executed (validation failure, injected 500, lost request): the key is free again. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
