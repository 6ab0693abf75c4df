/**
 * PaymentIntents: the store, create, confirm, retrieve and the expiry of uncaptured authorizations.
 * Update, increment, capture and cancel live in fake-stripe-payment-intent-actions.ts, the list in
 * fake-stripe-payment-intent-list.ts.
 */
import { declineOf, type FakeCardBehaviour } from './fake-stripe-cards.ts';
import { FakeStripeError, invalidParam, missingParam, noSuchObject, unexpectedState } from './fake-stripe-errors.ts';
import {
  allowOnly, mergeMetadata, readBool, readEnum, readInt, readObject, readString,
} from './fake-stripe-form.ts';
import { newId, randomToken, unixSeconds } from './fake-stripe-ids.ts';
import type { FakeStripePaymentMethods } from './fake-stripe-payment-methods.ts';
import type {
  FakeStripeErrorBody, FakeStripeEventType, FakeStripeParams, FakeStripePaymentIntent, FakeStripeRequestContext,
} from './fake-stripe-types.ts';

export interface StoredIntent {
  pi: FakeStripePaymentIntent;
  /** Creation order, to sort intents created within the same second newest first. */
  seq: number;
  createdMs: number;
  /** When the card was authorized; the network's hold window runs from here. */
  authorizedMs: number | null;
  /** The confirmed card's behaviour and brand; null until a confirmation succeeded. */
  behaviour: FakeCardBehaviour | null;
  brand: string | null;
  incrementAttempts: number;
}

export interface FakeStripeIntentDeps {
  clock: () => number;
  paymentMethods: FakeStripePaymentMethods;
  emit: (type: FakeStripeEventType, pi: FakeStripePaymentIntent, ctx: FakeStripeRequestContext) => void;
  /** True when a programmed increment decline is due (consumes it). */
  takeIncrementDecline: () => boolean;
  authorizationExpiryMs: number;
}

/** Stripe's minimum charge is about 0.50 in most currencies; the fake uses 50 minor units for all. */
const MINIMUM_AMOUNT = 50;
const MAXIMUM_AMOUNT = 99_999_999;
const SYSTEM: FakeStripeRequestContext = { requestId: null, idempotencyKey: null, apiVersion: null };

const CREATE_PARAMS = [
  'amount', 'currency', 'capture_method', 'payment_method', 'confirm', 'metadata', 'description',
  'payment_method_options', 'allowed_payment_method_types', 'payment_method_types', 'automatic_payment_methods', 'return_url',
  'receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'expand', 'off_session',
  'error_on_requires_action',
] as const;
const CONFIRM_PARAMS = ['payment_method', 'return_url', 'payment_method_options', 'expand', 'off_session', 'receipt_email', 'error_on_requires_action'] as const;

export function readAmount(params: FakeStripeParams, name: string, required: boolean): number | undefined {
  const amount = readInt(params, name);
  if (amount === undefined) {
    if (required) throw missingParam(name);
    return undefined;
  }
  if (amount < MINIMUM_AMOUNT) {
    throw invalidParam(name, `Amount must be at least ${MINIMUM_AMOUNT} in the currency's smallest unit.`, 'amount_too_small');
  }
  if (amount > MAXIMUM_AMOUNT) throw invalidParam(name, `Amount must be no more than ${MAXIMUM_AMOUNT}.`, 'amount_too_large');
  return amount;
}

/** payment_method_options[card][request_incremental_authorization]; other card options are accepted and ignored. */
export function readIncrementRequest(params: FakeStripeParams): 'if_available' | 'never' | undefined {
  const options = readObject(params, 'payment_method_options');
  if (!options) return undefined;
  allowOnly(options, ['card'], 'payment_method_options');
  const card = readObject(options, 'card');
  if (!card) return undefined;
  return readEnum(card, 'request_incremental_authorization', ['if_available', 'never'] as const,
    'payment_method_options[card][request_incremental_authorization]');
}

export class FakeStripePaymentIntents {
  private readonly intents = new Map<string, StoredIntent>();
  private seq = 0;

  constructor(readonly deps: FakeStripeIntentDeps) {}

  reset(): void {
    this.intents.clear();
  }

  /** The stored intent after expiry was applied; 404 when unknown. */
  get(id: string): StoredIntent {
    const stored = this.intents.get(id);
    if (!stored) throw noSuchObject('payment_intent', id, 'intent');
    this.expireIfDue(stored);
    return stored;
  }

  peek(id: string): FakeStripePaymentIntent | undefined {
    const stored = this.intents.get(id);
    if (!stored) return undefined;
    this.expireIfDue(stored);
    return structuredClone(stored.pi);
  }

  /** Every intent, expiry applied, newest first (Stripe's list order). */
  all(): StoredIntent[] {
    const list = [...this.intents.values()];
    for (const s of list) this.expireIfDue(s);
    return list.sort((a, b) => b.createdMs - a.createdMs || b.seq - a.seq);
  }

  sweepExpired(): string[] {
    return [...this.intents.values()].filter((s) => this.expireIfDue(s)).map((s) => s.pi.id);
  }

  /**
   * Card networks keep an uncaptured authorization only for a while; Stripe then cancels the
   * PaymentIntent with cancellation_reason `automatic` (7 days by default, counted from the charge,
   * i.e. the authorization, which is the creation when create confirms at once).
   */
  private expireIfDue(stored: StoredIntent): boolean {
    const { pi } = stored;
    if (pi.status !== 'requires_capture' || stored.authorizedMs === null) return false;
    const expiresAt = stored.authorizedMs + this.deps.authorizationExpiryMs;
    if (this.deps.clock() < expiresAt) return false;
    pi.status = 'canceled';
    pi.cancellation_reason = 'automatic';
    // When the network dropped it, not when somebody happened to look.
    pi.canceled_at = unixSeconds(expiresAt);
    pi.amount_capturable = 0;
    this.deps.emit('payment_intent.canceled', pi, SYSTEM);
    return true;
  }

  create(params: FakeStripeParams, ctx: FakeStripeRequestContext): FakeStripePaymentIntent {
    allowOnly(params, CREATE_PARAMS);
    const amount = readAmount(params, 'amount', true)!;
    const currency = readString(params, 'currency');
    if (currency === undefined) throw missingParam('currency');
    if (!/^[a-zA-Z]{3}$/.test(currency)) throw invalidParam('currency', `Invalid currency: ${currency}.`);
    const captureMethod = readEnum(params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const)
      // The default for current API versions; it behaves like `automatic` here.
      ?? 'automatic_async';
    const confirm = readBool(params, 'confirm') ?? false;
    const paymentMethodId = readString(params, 'payment_method');
    const incremental = readIncrementRequest(params);
    const metadata = mergeMetadata({}, params);
    const { allowed, automatic } = this.readPaymentMethodTypes(params);
    if (paymentMethodId !== undefined) this.paymentMethod(paymentMethodId);
    if (confirm) this.checkConfirmable(paymentMethodId, automatic, readString(params, 'return_url'));

    const nowMs = this.deps.clock();
    const id = newId('pi');
    const pi: FakeStripePaymentIntent = {
      id,
      object: 'payment_intent',
      allowed_payment_method_types: allowed,
      amount,
      amount_capturable: 0,
      amount_received: 0,
      automatic_payment_methods: automatic,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: captureMethod,
      client_secret: `${id}_secret_${randomToken(25)}`,
      confirmation_method: 'automatic',
      created: unixSeconds(nowMs),
      currency: currency.toLowerCase(),
      customer: null,
      description: readString(params, 'description') ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata,
      next_action: null,
      payment_method: paymentMethodId ?? null,
      payment_method_options: { card: { request_three_d_secure: 'automatic', ...(incremental ? { request_incremental_authorization: incremental } : {}) } },
      payment_method_types: ['card'],
      receipt_email: readString(params, 'receipt_email') ?? null,
      statement_descriptor: readString(params, 'statement_descriptor') ?? null,
      statement_descriptor_suffix: readString(params, 'statement_descriptor_suffix') ?? null,
      status: paymentMethodId ? 'requires_confirmation' : 'requires_payment_method',
    };
    const stored: StoredIntent = { pi, seq: this.seq++, createdMs: nowMs, authorizedMs: null, behaviour: null, brand: null, incrementAttempts: 0 };
    this.intents.set(id, stored);
    if (confirm) this.runConfirmation(stored, paymentMethodId!, ctx);
    return structuredClone(pi);
  }

  confirm(id: string, params: FakeStripeParams, ctx: FakeStripeRequestContext): FakeStripePaymentIntent {
    allowOnly(params, CONFIRM_PARAMS);
    const stored = this.get(id);
    const { pi } = stored;
    const paymentMethodId = readString(params, 'payment_method') ?? pi.payment_method ?? undefined;
    const incremental = readIncrementRequest(params);
    if (paymentMethodId !== undefined) this.paymentMethod(paymentMethodId);
    if (pi.status !== 'requires_confirmation' && pi.status !== 'requires_payment_method') {
      throw unexpectedState(structuredClone(pi),
        `You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`);
    }
    this.checkConfirmable(paymentMethodId, pi.automatic_payment_methods, readString(params, 'return_url'));
    if (incremental) pi.payment_method_options.card.request_incremental_authorization = incremental;
    const email = readString(params, 'receipt_email');
    if (email !== undefined) pi.receipt_email = email;
    this.runConfirmation(stored, paymentMethodId!, ctx);
    return structuredClone(pi);
  }

  /** The referenced PaymentMethod; 400 resource_missing when unknown. */
  paymentMethod(id: string) {
    const found = this.deps.paymentMethods.lookup(id);
    if (!found) throw noSuchObject('PaymentMethod', id, 'payment_method', 400);
    return found;
  }

  /**
   * Which payment method types the intent takes. API versions from 2026 (the `stripe` package v23)
   * name the parameter `allowed_payment_method_types`; older ones `payment_method_types`; both are
   * accepted, for cards only. Without either, current API versions turn automatic payment methods on.
   */
  private readPaymentMethodTypes(params: FakeStripeParams): { allowed: string[] | null; automatic: FakeStripePaymentIntent['automatic_payment_methods'] } {
    const name = params['allowed_payment_method_types'] !== undefined ? 'allowed_payment_method_types' : 'payment_method_types';
    const rawTypes = params[name];
    const apm = readObject(params, 'automatic_payment_methods');
    if (apm) allowOnly(apm, ['enabled', 'allow_redirects'], 'automatic_payment_methods');
    if (rawTypes !== undefined) {
      if (!Array.isArray(rawTypes) || rawTypes.some((t) => t !== 'card')) {
        throw invalidParam(name, `This fake supports only ${name}=[card].`);
      }
      if (apm && readBool(apm, 'enabled')) {
        throw invalidParam('automatic_payment_methods', `You may only specify one of these parameters: automatic_payment_methods, ${name}.`, 'parameters_exclusive');
      }
      return { automatic: null, allowed: ['card'] };
    }
    const enabled = apm ? readBool(apm, 'enabled') ?? true : true;
    const redirects = apm ? readEnum(apm, 'allow_redirects', ['always', 'never'] as const, 'automatic_payment_methods[allow_redirects]') : undefined;
    const automatic = enabled ? { enabled: true, ...(redirects ? { allow_redirects: redirects } : {}) } : null;
    return { automatic, allowed: automatic ? null : ['card'] };
  }

  /** Stripe's checks before a confirmation starts (rejections that keep nothing). */
  private checkConfirmable(paymentMethodId: string | undefined, automatic: FakeStripePaymentIntent['automatic_payment_methods'], returnUrl: string | undefined): void {
    if (paymentMethodId === undefined) {
      throw invalidParam('payment_method',
        "You cannot confirm this PaymentIntent because it's missing a payment method. Pass payment_method when confirming.",
        'payment_intent_unexpected_state');
    }
    // With automatic payment methods on, Stripe refuses a server-side confirmation without a
    // return_url, because some enabled methods may need a redirect. Integrations that confirm on the
    // server pass allowed_payment_method_types=[card] or automatic_payment_methods[allow_redirects]=never.
    if (automatic?.enabled && automatic.allow_redirects !== 'never' && returnUrl === undefined) {
      throw invalidParam('return_url',
        'This PaymentIntent is configured to accept payment methods enabled in your Dashboard, some of which may require a full page redirect to succeed. '
        + 'If you do not want to accept redirect-based payment methods, set automatic_payment_methods[enabled] to true and automatic_payment_methods[allow_redirects] to never '
        + '(or pass allowed_payment_method_types[]=card). If you do want them, set the return_url parameter when confirming.');
    }
  }

  /** Charges the card: an authorization (manual capture), a payment (automatic) or a decline. */
  private runConfirmation(stored: StoredIntent, paymentMethodId: string, ctx: FakeStripeRequestContext): void {
    const { pi } = stored;
    const method = this.paymentMethod(paymentMethodId);
    const chargeId = newId('ch');
    pi.latest_charge = chargeId;
    const decline = declineOf(method.behaviour);
    if (decline) {
      const error: FakeStripeErrorBody = {
        type: 'card_error', ...decline, charge: chargeId, payment_method: structuredClone(method.pm),
        doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
      };
      // A failed confirmation detaches the method and asks for another one; the error is kept on the intent.
      pi.status = 'requires_payment_method';
      pi.payment_method = null;
      pi.amount_capturable = 0;
      pi.last_payment_error = error;
      this.deps.emit('payment_intent.payment_failed', pi, ctx);
      throw new FakeStripeError(402, { ...error, payment_intent: structuredClone(pi) });
    }
    stored.behaviour = method.behaviour;
    stored.brand = method.pm.card.brand;
    pi.payment_method = paymentMethodId;
    pi.last_payment_error = null;
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      stored.authorizedMs = this.deps.clock();
      this.deps.emit('payment_intent.amount_capturable_updated', pi, ctx);
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      this.deps.emit('payment_intent.succeeded', pi, ctx);
    }
  }
}
