/**
 * Public surface of the fake Stripe payment gateway (tests and demos only, never production).
 * Point the official `stripe` client at it:
 *   const fake = await startFakeStripe();
 *   const stripe = new Stripe(fake.secretKey, { ...fake.stripeConfig(), maxNetworkRetries: 0 });
 */
export {
  startFakeStripe, DEFAULT_SECRET_KEY, DEFAULT_PUBLISHABLE_KEY, DEFAULT_AUTHORIZATION_EXPIRY_MS,
} from './fake-stripe-start.ts';
export { DEFAULT_WEBHOOK_SECRET, stripeSignatureHeader } from './fake-stripe-webhooks.ts';
export { TEST_CARD_NUMBERS, PREDEFINED_PAYMENT_METHODS, luhnValid, type FakeCardBehaviour } from './fake-stripe-cards.ts';
export { IDEMPOTENCY_KEY_TTL_MS } from './fake-stripe-idempotency.ts';
export { FAIL_MODES } from './fake-stripe-faults.ts';
export type {
  FakeStripe, FakeStripeOptions, FakeStripeWebhookOptions, FakeStripeFailMode, FakeStripeFailOptions,
  FakeStripeRequestRecord, FakeStripePaymentIntent, FakeStripePaymentIntentStatus, FakeStripePaymentMethod,
  FakeStripeEvent, FakeStripeEventType, FakeStripeErrorBody, FakeStripeParams,
} from './fake-stripe-types.ts';
