/**
 * What happens to a confirmed PaymentIntent: increment_authorization, capture, cancel, and the
 * update of descriptive fields. Each imitates the documented Stripe behaviour noted on it.
 */
import { brandSupportsIncrement } from './fake-stripe-cards.ts';
import { FakeStripeError, invalidParam, unexpectedState } from './fake-stripe-errors.ts';
import { allowOnly, mergeMetadata, readEnum, readInt, readString } from './fake-stripe-form.ts';
import { unixSeconds } from './fake-stripe-ids.ts';
import { readAmount, readIncrementRequest, type FakeStripePaymentIntents } from './fake-stripe-payment-intents.ts';
import type { FakeStripeParams, FakeStripePaymentIntent, FakeStripeRequestContext } from './fake-stripe-types.ts';

/** Stripe allows at most 10 increment attempts per PaymentIntent, declines included. */
const MAX_INCREMENT_ATTEMPTS = 10;
const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
/** The reasons an API caller may give; `automatic` and the invoice ones are Stripe's own. */
const CANCEL_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;

/**
 * `amount` is the new total to hold, not the difference. Allowed only on a requires_capture intent
 * whose confirmation requested incremental authorization on a network that offers it. A declined
 * increment answers card_declined and changes nothing: the intent stays capturable for the amount
 * authorized before.
 */
export function incrementAuthorization(
  intents: FakeStripePaymentIntents, id: string, params: FakeStripeParams, ctx: FakeStripeRequestContext,
): FakeStripePaymentIntent {
  allowOnly(params, ['amount', 'metadata', 'description', 'statement_descriptor', 'statement_descriptor_suffix', 'expand']);
  const amount = readAmount(params, 'amount', true)!;
  const stored = intents.get(id);
  const { pi } = stored;
  const metadata = mergeMetadata(pi.metadata, params);
  if (pi.status !== 'requires_capture') {
    throw unexpectedState(structuredClone(pi),
      `This PaymentIntent's amount could not be updated because it has a status of ${pi.status}. `
      + 'Only a PaymentIntent with a status of requires_capture can be incremented.');
  }
  if (pi.payment_method_options.card.request_incremental_authorization !== 'if_available' || !brandSupportsIncrement(stored.brand ?? '')) {
    throw new FakeStripeError(400, {
      type: 'invalid_request_error', code: 'payment_intent_invalid_parameter', param: 'amount', payment_intent: structuredClone(pi),
      message: 'This PaymentIntent is not eligible for incremental authorization: it must be confirmed with '
        + 'payment_method_options[card][request_incremental_authorization]=if_available on a card network that supports it.',
    });
  }
  if (amount <= pi.amount) {
    throw invalidParam('amount', `The new amount (${amount}) must be greater than the currently authorized amount (${pi.amount}).`);
  }
  if (stored.incrementAttempts >= MAX_INCREMENT_ATTEMPTS) {
    throw new FakeStripeError(400, {
      type: 'invalid_request_error', code: 'payment_intent_invalid_parameter', payment_intent: structuredClone(pi),
      message: `This PaymentIntent has reached the maximum of ${MAX_INCREMENT_ATTEMPTS} incremental authorization attempts.`,
    });
  }
  stored.incrementAttempts++;
  if (stored.behaviour === 'increment_refused' || intents.deps.takeIncrementDecline()) {
    throw new FakeStripeError(402, {
      type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.',
      charge: pi.latest_charge ?? undefined, payment_intent: structuredClone(pi),
    });
  }
  pi.amount = amount;
  pi.amount_capturable = amount;
  pi.metadata = metadata;
  const description = readString(params, 'description');
  if (description !== undefined) pi.description = description || null;
  intents.deps.emit('payment_intent.amount_capturable_updated', pi, ctx);
  return structuredClone(pi);
}

/**
 * Captures up to amount_capturable (all of it by default). Stripe releases whatever is not captured:
 * amount_capturable drops to 0 and the intent is succeeded with amount_received = the capture.
 */
export function capture(
  intents: FakeStripePaymentIntents, id: string, params: FakeStripeParams, ctx: FakeStripeRequestContext,
): FakeStripePaymentIntent {
  allowOnly(params, ['amount_to_capture', 'metadata', 'expand', 'final_capture', 'statement_descriptor', 'statement_descriptor_suffix']);
  const requested = readInt(params, 'amount_to_capture');
  const stored = intents.get(id);
  const { pi } = stored;
  const metadata = mergeMetadata(pi.metadata, params);
  if (requested !== undefined && requested < 1) {
    throw invalidParam('amount_to_capture', 'amount_to_capture must be a positive integer; cancel the PaymentIntent to capture nothing.');
  }
  if (pi.status !== 'requires_capture') {
    throw unexpectedState(structuredClone(pi),
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. `
      + 'Only a PaymentIntent with one of the following statuses may be captured: requires_capture.');
  }
  const amount = requested ?? pi.amount_capturable;
  if (amount > pi.amount_capturable) {
    throw new FakeStripeError(400, {
      type: 'invalid_request_error', code: 'amount_too_large', param: 'amount_to_capture', payment_intent: structuredClone(pi),
      message: `The amount to capture (${amount}) is greater than the amount capturable (${pi.amount_capturable}).`,
    });
  }
  pi.status = 'succeeded';
  pi.amount_received = amount;
  pi.amount_capturable = 0;
  pi.metadata = metadata;
  intents.deps.emit('payment_intent.succeeded', pi, ctx);
  return structuredClone(pi);
}

/** Cancels (releasing any hold). A succeeded or already canceled intent cannot be canceled. */
export function cancel(
  intents: FakeStripePaymentIntents, id: string, params: FakeStripeParams, ctx: FakeStripeRequestContext,
): FakeStripePaymentIntent {
  allowOnly(params, ['cancellation_reason', 'expand']);
  const reason = readEnum(params, 'cancellation_reason', CANCEL_REASONS);
  const { pi } = intents.get(id);
  if (!CANCELABLE.includes(pi.status)) {
    throw unexpectedState(structuredClone(pi),
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. `
      + `Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`);
  }
  pi.status = 'canceled';
  pi.canceled_at = unixSeconds(intents.deps.clock());
  pi.cancellation_reason = reason ?? null;
  pi.amount_capturable = 0;
  intents.deps.emit('payment_intent.canceled', pi, ctx);
  return structuredClone(pi);
}

/** `POST /v1/payment_intents/{id}`: amount, currency and method only before confirmation; descriptive fields always. */
export function update(intents: FakeStripePaymentIntents, id: string, params: FakeStripeParams): FakeStripePaymentIntent {
  allowOnly(params, [
    'amount', 'currency', 'payment_method', 'metadata', 'description', 'receipt_email',
    'statement_descriptor', 'statement_descriptor_suffix', 'payment_method_options', 'expand',
  ]);
  const amount = readAmount(params, 'amount', false);
  const currency = readString(params, 'currency');
  const paymentMethodId = readString(params, 'payment_method');
  const incremental = readIncrementRequest(params);
  const { pi } = intents.get(id);
  const metadata = mergeMetadata(pi.metadata, params);
  if (currency !== undefined && !/^[a-zA-Z]{3}$/.test(currency)) throw invalidParam('currency', `Invalid currency: ${currency}.`);
  const unconfirmed = pi.status === 'requires_payment_method' || pi.status === 'requires_confirmation';
  if (!unconfirmed && [amount, currency, paymentMethodId, incremental].some((v) => v !== undefined)) {
    throw unexpectedState(structuredClone(pi),
      `You cannot update the amount, currency, payment method or payment method options of a PaymentIntent with a status of ${pi.status}.`);
  }
  if (paymentMethodId !== undefined) {
    intents.paymentMethod(paymentMethodId);
    pi.payment_method = paymentMethodId;
    pi.status = 'requires_confirmation';
  }
  if (amount !== undefined) pi.amount = amount;
  if (currency !== undefined) pi.currency = currency.toLowerCase();
  if (incremental) pi.payment_method_options.card.request_incremental_authorization = incremental;
  pi.metadata = metadata;
  const description = readString(params, 'description');
  if (description !== undefined) pi.description = description || null;
  const email = readString(params, 'receipt_email');
  if (email !== undefined) pi.receipt_email = email || null;
  return structuredClone(pi);
}
