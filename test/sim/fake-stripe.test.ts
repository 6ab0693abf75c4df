/**
 * The fake Stripe gateway against the OFFICIAL `stripe` client: holds, increments, captures,
 * declines, cancels, expiry, payment methods, keys and CORS, lists. Real HTTP on loopback.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { startFakeStripe, type FakeStripe } from '../../sim/fake-stripe/index.ts';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

let now = T0;
let fake: FakeStripe;
let stripe: Stripe;

function client(key: string, extra: Partial<Stripe.StripeConfig> = {}): Stripe {
  return new Stripe(key, { ...fake.stripeConfig(), maxNetworkRetries: 0, timeout: 5000, ...extra });
}

/** A manual-capture hold on a card, the way a CSMS pre-authorizes a charging session. */
function hold(amount: number, paymentMethod = 'pm_card_visa', extra: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  return stripe.paymentIntents.create({
    amount,
    currency: 'eur',
    capture_method: 'manual',
    payment_method: paymentMethod,
    allowed_payment_method_types: ['card'],
    confirm: true,
    metadata: { stationId: 'CS-1', evseId: '1' },
    payment_method_options: { card: { request_incremental_authorization: 'if_available' } },
    ...extra,
  });
}

async function rejects<E extends Error>(promise: Promise<unknown>, type: new (...args: any[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    return err;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

before(async () => {
  fake = await startFakeStripe({ clock: () => now });
  stripe = client(fake.secretKey);
});
beforeEach(() => {
  fake.reset();
  now = T0;
});
after(() => fake.close());

describe('holds, increments and captures', () => {
  test('hold -> increment -> partial capture: amount_received is the capture, the rest is released', async () => {
    const pi = await hold(2000);
    assert.equal(pi.object, 'payment_intent');
    assert.match(pi.id, /^pi_[A-Za-z0-9]{24}$/);
    assert.equal(pi.status, 'requires_capture');
    assert.equal(pi.amount, 2000);
    assert.equal(pi.amount_capturable, 2000);
    assert.equal(pi.amount_received, 0);
    assert.equal(pi.capture_method, 'manual');
    assert.equal(pi.currency, 'eur');
    assert.equal(pi.created, Math.floor(T0 / 1000));
    assert.equal(pi.livemode, false);
    assert.deepEqual(pi.metadata, { stationId: 'CS-1', evseId: '1' });
    assert.match(String(pi.latest_charge), /^ch_/);
    assert.equal(pi.payment_method_options?.card?.request_incremental_authorization, 'if_available');
    assert.deepEqual(pi.allowed_payment_method_types, ['card']);
    assert.deepEqual(pi.payment_method_types, ['card']);

    const bigger = await stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 3500 });
    assert.equal(bigger.amount, 3500);
    assert.equal(bigger.amount_capturable, 3500);
    assert.equal(bigger.status, 'requires_capture');

    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 2870 });
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount_received, 2870);
    assert.equal(captured.amount_capturable, 0);
    assert.equal(captured.amount, 3500);

    const again = await stripe.paymentIntents.retrieve(pi.id);
    assert.equal(again.status, 'succeeded');
    assert.equal(again.amount_received, 2870);
  });

  test('capture without amount_to_capture takes everything capturable', async () => {
    const pi = await hold(1500);
    const captured = await stripe.paymentIntents.capture(pi.id);
    assert.equal(captured.amount_received, 1500);
  });

  test('capturing more than capturable is an invalid request and captures nothing', async () => {
    const pi = await hold(1500);
    const err = await rejects(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1501 }), Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.code, 'amount_too_large');
    assert.equal(err.param, 'amount_to_capture');
    assert.equal(fake.paymentIntent(pi.id)?.status, 'requires_capture');
  });

  test('an increment must raise the total and needs incremental authorization requested', async () => {
    const pi = await hold(2000);
    const lower = await rejects(stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 2000 }), Stripe.errors.StripeInvalidRequestError);
    assert.equal(lower.param, 'amount');

    const plain = await hold(2000, 'pm_card_visa', { payment_method_options: {} });
    assert.equal(plain.payment_method_options?.card?.request_incremental_authorization, undefined);
    const notRequested = await rejects(stripe.paymentIntents.incrementAuthorization(plain.id, { amount: 3000 }), Stripe.errors.StripeInvalidRequestError);
    assert.equal(notRequested.code, 'payment_intent_invalid_parameter');
    assert.equal(fake.paymentIntent(plain.id)?.amount, 2000);
  });

  test('a refused increment is a card error and keeps the old hold capturable', async () => {
    const pi = await hold(2000, 'pm_card_visa_incrementRefused');
    assert.equal(pi.status, 'requires_capture');
    const err = await rejects(stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 4000 }), Stripe.errors.StripeCardError);
    assert.equal(err.code, 'card_declined');
    assert.equal(err.payment_intent?.amount, 2000);
    assert.equal(err.payment_intent?.status, 'requires_capture');
    const still = await stripe.paymentIntents.retrieve(pi.id);
    assert.equal(still.amount, 2000);
    assert.equal(still.amount_capturable, 2000);
    const captured = await stripe.paymentIntents.capture(pi.id);
    assert.equal(captured.amount_received, 2000);
  });

  test('declineNextIncrement refuses only the next increment', async () => {
    const pi = await hold(2000);
    fake.declineNextIncrement();
    await rejects(stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 3000 }), Stripe.errors.StripeCardError);
    const ok = await stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 3000 });
    assert.equal(ok.amount, 3000);
  });

  test('automatic capture succeeds at once', async () => {
    const pi = await hold(1200, 'pm_card_visa', { capture_method: 'automatic', payment_method_options: {} });
    assert.equal(pi.status, 'succeeded');
    assert.equal(pi.amount_received, 1200);
    assert.equal(pi.amount_capturable, 0);
  });

  test('without confirm: requires_confirmation, then confirm authorizes', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 5000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_mastercard', allowed_payment_method_types: ['card'],
    });
    assert.equal(pi.status, 'requires_confirmation');
    assert.equal(pi.amount_capturable, 0);
    const confirmed = await stripe.paymentIntents.confirm(pi.id);
    assert.equal(confirmed.status, 'requires_capture');
    assert.equal(confirmed.amount_capturable, 5000);
  });

  test('server-side confirmation with automatic payment methods needs a return_url or allow_redirects=never, as on Stripe', async () => {
    const params = { amount: 5000, currency: 'eur', capture_method: 'manual' as const, payment_method: 'pm_card_visa', confirm: true };
    const err = await rejects(stripe.paymentIntents.create(params), Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.param, 'return_url');
    const ok = await stripe.paymentIntents.create({ ...params, automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
    assert.equal(ok.status, 'requires_capture');
    assert.deepEqual(ok.automatic_payment_methods, { enabled: true, allow_redirects: 'never' });
    assert.equal(ok.allowed_payment_method_types, null);
    const legacy = await fetch(`${fake.url}/v1/payment_intents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fake.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'amount=5000&currency=eur&capture_method=manual&payment_method=pm_card_visa&confirm=true&payment_method_types[]=card',
    });
    assert.equal(((await legacy.json()) as any).status, 'requires_capture', 'the pre-2026 parameter name works too');
  });

  test('unknown parameters and small amounts are rejected like Stripe does', async () => {
    const unknown = await rejects(stripe.paymentIntents.create({ amount: 5000, currency: 'eur', colour: 'red' } as any), Stripe.errors.StripeInvalidRequestError);
    assert.equal(unknown.code, 'parameter_unknown');
    assert.equal(unknown.param, 'colour');
    const small = await rejects(stripe.paymentIntents.create({ amount: 49, currency: 'eur' }), Stripe.errors.StripeInvalidRequestError);
    assert.equal(small.code, 'amount_too_small');
    const missing = await rejects(stripe.paymentIntents.retrieve('pi_doesNotExist'), Stripe.errors.StripeInvalidRequestError);
    assert.equal(missing.code, 'resource_missing');
    assert.equal(missing.statusCode, 404);
    const json = await fetch(`${fake.url}/v1/payment_intents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fake.secretKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 5000, currency: 'eur' }),
    });
    assert.equal(json.status, 400);
    assert.match(((await json.json()) as any).error.message, /x-www-form-urlencoded/);
  });
});

describe('declines and cancellation', () => {
  for (const [pm, code, declineCode] of [
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
  ] as const) {
    test(`${pm}: StripeCardError ${declineCode}, intent back to requires_payment_method`, async () => {
      const err = await rejects(hold(2000, pm), Stripe.errors.StripeCardError);
      assert.equal(err.statusCode, 402);
      assert.equal(err.code, code);
      assert.equal(err.decline_code, declineCode);
      const pi = err.payment_intent!;
      assert.match(pi.id, /^pi_/);
      assert.equal(pi.status, 'requires_payment_method');
      assert.equal(pi.amount_capturable, 0);
      assert.equal(pi.payment_method, null);
      assert.equal(pi.last_payment_error?.decline_code, declineCode);
      assert.equal((await stripe.paymentIntents.retrieve(pi.id)).status, 'requires_payment_method');
    });
  }

  test('a declined intent can be confirmed again with another card', async () => {
    const err = await rejects(hold(2000, 'pm_card_chargeDeclined'), Stripe.errors.StripeCardError);
    const retried = await stripe.paymentIntents.confirm(err.payment_intent!.id, { payment_method: 'pm_card_visa' });
    assert.equal(retried.status, 'requires_capture');
    assert.equal(retried.last_payment_error, null);
  });

  test('cancel releases the hold; capturing it afterwards is payment_intent_unexpected_state', async () => {
    const pi = await hold(2000);
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'abandoned' });
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.cancellation_reason, 'abandoned');
    assert.equal(canceled.canceled_at, Math.floor(T0 / 1000));
    assert.equal(canceled.amount_capturable, 0);
    const err = await rejects(stripe.paymentIntents.capture(pi.id), Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, 'payment_intent_unexpected_state');
    assert.equal(err.payment_intent?.status, 'canceled');
  });

  test('a succeeded intent cannot be canceled or captured again', async () => {
    const pi = await hold(2000);
    await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000 });
    const cancelErr = await rejects(stripe.paymentIntents.cancel(pi.id), Stripe.errors.StripeInvalidRequestError);
    assert.equal(cancelErr.code, 'payment_intent_unexpected_state');
    const captureErr = await rejects(stripe.paymentIntents.capture(pi.id), Stripe.errors.StripeInvalidRequestError);
    assert.equal(captureErr.code, 'payment_intent_unexpected_state');
    assert.equal((await stripe.paymentIntents.retrieve(pi.id)).amount_received, 1000);
  });
});

describe('authorization expiry (injected clock)', () => {
  test('an uncaptured hold is canceled as automatic once the window has passed, when next looked at', async () => {
    const pi = await hold(2000);
    now = T0 + 7 * DAY - 1;
    assert.equal((await stripe.paymentIntents.retrieve(pi.id)).status, 'requires_capture');
    now = T0 + 7 * DAY;
    const expired = await stripe.paymentIntents.retrieve(pi.id);
    assert.equal(expired.status, 'canceled');
    assert.equal(expired.cancellation_reason, 'automatic');
    assert.equal(expired.canceled_at, Math.floor((T0 + 7 * DAY) / 1000));
    assert.equal(expired.amount_capturable, 0);
    const err = await rejects(stripe.paymentIntents.capture(pi.id), Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.code, 'payment_intent_unexpected_state');
  });

  test('sweepExpired cancels due holds only, and emits payment_intent.canceled', async () => {
    const old = await hold(2000);
    now = T0 + 3 * DAY;
    const young = await hold(2000);
    now = T0 + 7 * DAY + 1000;
    assert.deepEqual(fake.sweepExpired(), [old.id]);
    assert.equal(fake.paymentIntent(young.id)?.status, 'requires_capture');
    const canceledEvents = fake.events().filter((e) => e.type === 'payment_intent.canceled');
    assert.deepEqual(canceledEvents.map((e) => e.data.object.id), [old.id]);
    assert.equal(canceledEvents[0]!.data.object.cancellation_reason, 'automatic');
  });

  test('a custom authorizationExpiryMs is honoured', async () => {
    const short = await startFakeStripe({ clock: () => now, authorizationExpiryMs: 60_000 });
    try {
      const s = new Stripe(short.secretKey, { ...short.stripeConfig(), maxNetworkRetries: 0 });
      const pi = await s.paymentIntents.create({
        amount: 900, currency: 'eur', capture_method: 'manual', payment_method: 'pm_card_visa', allowed_payment_method_types: ['card'], confirm: true,
      });
      now += 60_000;
      assert.equal((await s.paymentIntents.retrieve(pi.id)).status, 'canceled');
    } finally {
      await short.close();
    }
  });
});

describe('payment methods, keys and CORS', () => {
  test('a page with the publishable key creates a PaymentMethod; the full number is kept nowhere', async () => {
    const browser = client(fake.publishableKey);
    const pm = await browser.paymentMethods.create({
      type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2031, cvc: '123' },
    });
    assert.match(pm.id, /^pm_[A-Za-z0-9]{24}$/);
    assert.deepEqual(
      { brand: pm.card?.brand, last4: pm.card?.last4, exp_month: pm.card?.exp_month, exp_year: pm.card?.exp_year },
      { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2031 },
    );
    assert.ok(!JSON.stringify(pm).includes('4242424242424242'));
    assert.ok(!JSON.stringify(fake.requests()).includes('4242424242424242'));
    assert.ok(!JSON.stringify(fake.requests()).includes('"123"'));

    const pi = await hold(2500, pm.id);
    assert.equal(pi.status, 'requires_capture');
    assert.equal(pi.payment_method, pm.id);
    assert.equal((await stripe.paymentMethods.retrieve(pm.id)).card?.last4, '4242');
  });

  test('test numbers keep their behaviour: 4000000000000002 declines, 4000000000000069 is expired_card', async () => {
    const browser = client(fake.publishableKey);
    const declining = await browser.paymentMethods.create({ type: 'card', card: { number: '4000000000000002', exp_month: 1, exp_year: 2030, cvc: '123' } });
    const generic = await rejects(hold(2000, declining.id), Stripe.errors.StripeCardError);
    assert.equal(generic.decline_code, 'generic_decline');
    const expiredCard = await browser.paymentMethods.create({ type: 'card', card: { number: '4000000000000069', exp_month: 1, exp_year: 2030, cvc: '123' } });
    const expired = await rejects(hold(2000, expiredCard.id), Stripe.errors.StripeCardError);
    assert.equal(expired.code, 'expired_card');
    const poor = await browser.paymentMethods.create({ type: 'card', card: { number: '4000000000009995', exp_month: 1, exp_year: 2030, cvc: '123' } });
    assert.equal((await rejects(hold(2000, poor.id), Stripe.errors.StripeCardError)).decline_code, 'insufficient_funds');
    const otherValid = await browser.paymentMethods.create({ type: 'card', card: { number: '5555555555554444', exp_month: 1, exp_year: 2030, cvc: '123' } });
    assert.equal(otherValid.card?.brand, 'mastercard');
    assert.equal((await hold(2000, otherValid.id)).status, 'requires_capture');
  });

  test('a number failing the Luhn check is a 402 incorrect_number', async () => {
    const browser = client(fake.publishableKey);
    const err = await rejects(
      browser.paymentMethods.create({ type: 'card', card: { number: '4242424242424241', exp_month: 12, exp_year: 2031, cvc: '123' } }),
      Stripe.errors.StripeCardError,
    );
    assert.equal(err.statusCode, 402);
    assert.equal(err.code, 'incorrect_number');
  });

  test('the publishable key may not touch PaymentIntents; a wrong or missing key is 401', async () => {
    const browser = client(fake.publishableKey);
    await rejects(browser.paymentIntents.list(), Stripe.errors.StripeAuthenticationError);
    const wrong = await rejects(client('sk_test_wrong_key_1234').paymentIntents.list(), Stripe.errors.StripeAuthenticationError);
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.message, /Invalid API Key provided/);
    const bare = await fetch(`${fake.url}/v1/payment_intents`);
    assert.equal(bare.status, 401);
    assert.equal(((await bare.json()) as any).error.type, 'invalid_request_error');
  });

  test('CORS: the preflight is answered and API answers carry Access-Control-Allow-Origin', async () => {
    const preflight = await fetch(`${fake.url}/v1/payment_methods`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type, idempotency-key' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'content-type', 'idempotency-key']) assert.ok(allowed.includes(h), `${h} in ${allowed}`);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);

    const created = await fetch(`${fake.url}/v1/payment_methods`, {
      method: 'POST',
      headers: { Origin: 'http://localhost:5173', Authorization: `Bearer ${fake.publishableKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'type=card&card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=2031&card[cvc]=123',
    });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get('access-control-allow-origin'), '*');
    assert.equal(((await created.json()) as any).card.last4, '4242');
  });
});

describe('lists', () => {
  test('newest first, cursor pages, and autoPagingToArray walks them all', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      ids.push((await stripe.paymentIntents.create({ amount: 1000 + i, currency: 'eur' })).id);
    }
    const first = await stripe.paymentIntents.list({ limit: 10 });
    assert.equal(first.object, 'list');
    assert.equal(first.url, '/v1/payment_intents');
    assert.equal(first.has_more, true);
    assert.deepEqual(first.data.map((p) => p.id), ids.slice(-10).reverse());

    const all = await stripe.paymentIntents.list({ limit: 10 }).autoPagingToArray({ limit: 100 });
    assert.deepEqual(all.map((p) => p.id), [...ids].reverse());
    const pages = fake.requests().filter((r) => r.method === 'GET' && r.path === '/v1/payment_intents');
    assert.equal(pages.length, 4);
    assert.equal(pages[2]!.params['starting_after'], ids[15]);

    const back = await stripe.paymentIntents.list({ limit: 5, ending_before: ids[10]! });
    assert.deepEqual(back.data.map((p) => p.id), ids.slice(11, 16).reverse());
  });

  test('created[gte] / created[lte] filter by creation time', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      now = T0 + i * 60_000;
      made.push((await stripe.paymentIntents.create({ amount: 1000, currency: 'eur' })).id);
    }
    const from = Math.floor((T0 + 60_000) / 1000);
    const to = Math.floor((T0 + 3 * 60_000) / 1000);
    const found = await stripe.paymentIntents.list({ created: { gte: from, lte: to } }).autoPagingToArray({ limit: 100 });
    assert.deepEqual(found.map((p) => p.id), [made[3], made[2], made[1]]);
  });
});
