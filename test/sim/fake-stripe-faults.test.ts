/**
 * Idempotency and fault injection of the fake Stripe gateway, seen through the official `stripe`
 * client: replays, key reuse, 500s, timeouts, the applied-but-unanswered capture, latency, the
 * /_fake control surface, and close() with held requests.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import Stripe from 'stripe';
import { startFakeStripe, type FakeStripe } from '../../sim/fake-stripe/index.ts';

const T0 = Date.parse('2026-03-02T08:00:00Z');
let now = T0;
let fake: FakeStripe;
let stripe: Stripe;

function client(extra: Partial<Stripe.StripeConfig> = {}): Stripe {
  return new Stripe(fake.secretKey, { ...fake.stripeConfig(), maxNetworkRetries: 0, timeout: 5000, ...extra });
}

const holdParams: Stripe.PaymentIntentCreateParams = {
  amount: 2000, currency: 'eur', capture_method: 'manual', payment_method: 'pm_card_visa', allowed_payment_method_types: ['card'], confirm: true,
};

async function rejects<E extends Error>(promise: Promise<unknown>, type: new (...args: any[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    return err;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

/** Waits for a condition the server reaches on its own (no fixed sleep): polls every few ms, 2 s at most. */
async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function intentCount(): Promise<number> {
  return (await stripe.paymentIntents.list({ limit: 100 })).data.length;
}

function rawPost(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${fake.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

before(async () => {
  fake = await startFakeStripe({ clock: () => now });
  stripe = client();
});
beforeEach(() => {
  fake.reset();
  now = T0;
});
after(() => fake.close());

describe('idempotency', () => {
  test('the same key twice: one PaymentIntent, the second answer replayed', async () => {
    const first = await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'hold-CS1-tx42' });
    const second = await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'hold-CS1-tx42' });
    assert.equal(second.id, first.id);
    assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal(second.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(await intentCount(), 1);
    const posts = fake.requests().filter((r) => r.method === 'POST');
    assert.deepEqual(posts.map((r) => [r.idempotencyKey, r.replayed ?? false]), [['hold-CS1-tx42', false], ['hold-CS1-tx42', true]]);
    // Only one authorization event: the operation ran once.
    assert.equal(fake.events().filter((e) => e.type === 'payment_intent.amount_capturable_updated').length, 1);
  });

  test('the replay is byte-identical to the first answer', async () => {
    const body = 'amount=3000&currency=eur&capture_method=manual&payment_method=pm_card_visa&payment_method_types[]=card&confirm=true';
    const a = await rawPost('/v1/payment_intents', body, { 'Idempotency-Key': 'raw-1' });
    const b = await rawPost('/v1/payment_intents', body, { 'Idempotency-Key': 'raw-1' });
    const [ta, tb] = [await a.text(), await b.text()];
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(tb, ta);
    assert.equal(b.headers.get('idempotent-replayed'), 'true');
    assert.equal(b.headers.get('idempotency-key'), 'raw-1');
  });

  test('a capture replayed does not capture twice', async () => {
    const pi = await stripe.paymentIntents.create(holdParams);
    const a = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1200 }, { idempotencyKey: 'cap-1' });
    const b = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1200 }, { idempotencyKey: 'cap-1' });
    assert.equal(a.amount_received, 1200);
    assert.equal(b.amount_received, 1200);
    assert.equal(b.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(fake.events().filter((e) => e.type === 'payment_intent.succeeded').length, 1);
  });

  test('the same key with other parameters is a StripeIdempotencyError and changes nothing', async () => {
    const pi = await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-1' });
    const err = await rejects(stripe.paymentIntents.create({ ...holdParams, amount: 2100 }, { idempotencyKey: 'k-1' }), Stripe.errors.StripeIdempotencyError);
    assert.equal(err.statusCode, 400);
    assert.equal(err.type, 'StripeIdempotencyError');
    // Another endpoint with the key counts as other parameters too.
    await rejects(stripe.paymentIntents.cancel(pi.id, {}, { idempotencyKey: 'k-1' }), Stripe.errors.StripeIdempotencyError);
    assert.equal(await intentCount(), 1);
    assert.equal(fake.paymentIntent(pi.id)?.status, 'requires_capture');
  });

  test('a request that failed validation keeps nothing: the key can be used with corrected parameters', async () => {
    await rejects(stripe.paymentIntents.create({ ...holdParams, currency: 'euro' }, { idempotencyKey: 'k-fix' }), Stripe.errors.StripeInvalidRequestError);
    const ok = await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-fix' });
    assert.equal(ok.status, 'requires_capture');
  });

  test('a decline is kept: replaying it returns the same declined intent, no second attempt', async () => {
    const params = { ...holdParams, payment_method: 'pm_card_chargeDeclined' };
    const a = await rejects(stripe.paymentIntents.create(params, { idempotencyKey: 'k-decl' }), Stripe.errors.StripeCardError);
    const b = await rejects(stripe.paymentIntents.create(params, { idempotencyKey: 'k-decl' }), Stripe.errors.StripeCardError);
    assert.equal(b.payment_intent?.id, a.payment_intent?.id);
    assert.equal(await intentCount(), 1);
    assert.equal(fake.events().filter((e) => e.type === 'payment_intent.payment_failed').length, 1);
  });

  test('keys are forgotten after 24 hours (by the injected clock)', async () => {
    const first = await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-day' });
    now = T0 + 24 * 60 * 60 * 1000 - 1;
    assert.equal((await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-day' })).id, first.id);
    now = T0 + 24 * 60 * 60 * 1000;
    const later = await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-day' });
    assert.notEqual(later.id, first.id);
    assert.equal(await intentCount(), 2);
  });
});

describe('faults', () => {
  test('applyThenDrop: the capture is applied but unanswered; a retry with the same key gets the result, nothing captured twice', async () => {
    const pi = await stripe.paymentIntents.create(holdParams);
    // Two drops: the official client retries a closed connection once by itself (same key).
    fake.failNext(2, { path: /\/capture$/, mode: 'applyThenDrop' });
    await rejects(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1500 }, { idempotencyKey: 'cap-crash' }), Stripe.errors.StripeConnectionError);
    const stored = fake.paymentIntent(pi.id)!;
    assert.equal(stored.status, 'succeeded');
    assert.equal(stored.amount_received, 1500);
    const attempts = fake.requests().filter((r) => r.path.endsWith('/capture'));
    assert.deepEqual(attempts.map((r) => [r.idempotencyKey, r.status, r.fault, r.replayed ?? false]), [
      ['cap-crash', undefined, 'applyThenDrop', false],
      ['cap-crash', undefined, 'applyThenDrop', true],
    ]);

    const retried = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1500 }, { idempotencyKey: 'cap-crash' });
    assert.equal(retried.status, 'succeeded');
    assert.equal(retried.amount_received, 1500);
    assert.equal(retried.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(fake.events().filter((e) => e.type === 'payment_intent.succeeded').length, 1);
  });

  test('applyThenDrop once: the client\'s own retry (same generated key) gets the replay', async () => {
    const pi = await stripe.paymentIntents.create(holdParams);
    fake.failNext(1, { path: '/capture', mode: 'applyThenDrop' });
    const captured = await stripe.paymentIntents.capture(pi.id);
    assert.equal(captured.amount_received, 2000);
    const attempts = fake.requests().filter((r) => r.path.endsWith('/capture'));
    assert.equal(attempts.length, 2);
    assert.match(attempts[0]!.idempotencyKey ?? '', /^stripe-node-retry-/);
    assert.equal(attempts[1]!.idempotencyKey, attempts[0]!.idempotencyKey);
    assert.equal(attempts[1]!.replayed, true);
  });

  test('error500: StripeAPIError, nothing applied, the key stays usable', async () => {
    fake.failNext(1, { path: '/v1/payment_intents', mode: 'error500' });
    const err = await rejects(stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-500' }), Stripe.errors.StripeAPIError);
    assert.equal(err.statusCode, 500);
    assert.equal(await intentCount(), 0);
    const ok = await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-500' });
    assert.equal(ok.status, 'requires_capture');
    assert.equal(ok.lastResponse.headers['idempotent-replayed'], undefined);
  });

  test('failNext only hits matching paths and only count times', async () => {
    const pi = await stripe.paymentIntents.create(holdParams);
    fake.failNext(1, { path: /\/cancel$/, mode: 'error500' });
    assert.equal((await stripe.paymentIntents.retrieve(pi.id)).id, pi.id);
    await rejects(stripe.paymentIntents.cancel(pi.id), Stripe.errors.StripeAPIError);
    assert.equal((await stripe.paymentIntents.cancel(pi.id)).status, 'canceled');
  });

  test('timeout: the request is held; a client with timeout 200 ms throws StripeConnectionError', async () => {
    const impatient = client({ timeout: 200 });
    fake.failNext(1, { mode: 'timeout' });
    const err = await rejects(impatient.paymentIntents.create(holdParams), Stripe.errors.StripeConnectionError);
    assert.match(err.message, /timeout/i);
    assert.equal(fake.requests()[0]?.fault, 'timeout');
    assert.equal(fake.requests()[0]?.status, undefined);
    assert.equal(await intentCount(), 0);
  });

  test('latency delays every answer; a second request with the key in use meanwhile gets 409', async () => {
    fake.setLatency(50);
    const started = Date.now();
    // Sent together, so the second arrives while the first is still in its 50 ms.
    const [a, b] = await Promise.allSettled([
      stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-slow' }),
      stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-slow' }),
    ]);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 45, `answered after ${elapsed} ms`);
    const ok = [a, b].filter((r) => r.status === 'fulfilled');
    const failed = [a, b].filter((r) => r.status === 'rejected');
    assert.equal(ok.length, 1);
    assert.equal(failed.length, 1);
    const clash = failed[0]!.reason;
    assert.ok(clash instanceof Stripe.errors.StripeAPIError, String(clash));
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.code, 'idempotency_key_in_use');
    const pi = ok[0]!.value;
    assert.equal(pi.status, 'requires_capture');
    fake.setLatency(0);
    assert.equal((await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-slow' })).id, pi.id);
    assert.equal(await intentCount(), 1);
  });

  test('reset clears objects, keys, the log and armed faults', async () => {
    await stripe.paymentIntents.create(holdParams, { idempotencyKey: 'k-reset' });
    fake.failNext(5, { mode: 'error500', path: '/nothing-matches-this' });
    fake.reset();
    assert.equal(fake.requests().length, 0);
    assert.equal(fake.events().length, 0);
    const again = await stripe.paymentIntents.create({ ...holdParams, amount: 2200 }, { idempotencyKey: 'k-reset' });
    assert.equal(again.amount, 2200);
    assert.equal(await intentCount(), 1);
  });
});

describe('control over HTTP (/_fake)', () => {
  async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${fake.url}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}) });
    return { status: res.status, json: await res.json() };
  }

  test('POST /_fake/faults arms faults without a key; /_fake/requests and /_fake/reset work', async () => {
    const armed = await control('POST', '/_fake/faults', { failNext: { count: 1, mode: 'error500', path: '/v1/payment_intents' }, declineNextIncrement: 1 });
    assert.equal(armed.status, 200);
    assert.deepEqual(armed.json.failNext, [{ remaining: 1, path: '/v1/payment_intents', mode: 'error500' }]);
    assert.equal(armed.json.declineNextIncrement, 1);
    await rejects(stripe.paymentIntents.create(holdParams), Stripe.errors.StripeAPIError);
    const pi = await stripe.paymentIntents.create({ ...holdParams, payment_method_options: { card: { request_incremental_authorization: 'if_available' } } });
    await rejects(stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 3000 }), Stripe.errors.StripeCardError);

    const log = await control('GET', '/_fake/requests');
    assert.deepEqual(log.json.data.map((r: any) => [r.method, r.path, r.status]), [
      ['POST', '/v1/payment_intents', 500],
      ['POST', '/v1/payment_intents', 200],
      ['POST', `/v1/payment_intents/${pi.id}/increment_authorization`, 402],
    ]);
    assert.equal((await control('POST', '/_fake/reset')).status, 200);
    assert.equal((await control('GET', '/_fake/requests')).json.data.length, 0);
  });

  test('bad control input is a 400 naming the problem', async () => {
    const bad = await control('POST', '/_fake/faults', { failNext: { count: 1, mode: 'explode' } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /mode/);
    const unknown = await control('POST', '/_fake/faults', { latency: 5 });
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error, /latency/);
  });
});

test('close() ends held requests and returns promptly', async () => {
  const own = await startFakeStripe();
  own.failNext(1, { mode: 'timeout' });
  const outcome = new Promise<string>((resolve) => {
    const req = http.request(`${own.url}/v1/payment_intents`, {
      method: 'POST', headers: { Authorization: `Bearer ${own.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    req.on('response', () => resolve('answered'));
    req.on('error', (e) => resolve(`error: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    req.end('amount=1000&currency=eur');
  });
  await until('the held request', () => own.requests().length === 1);
  const started = Date.now();
  await own.close();
  assert.ok(Date.now() - started < 1000, `close took ${Date.now() - started} ms`);
  assert.match(await outcome, /^error: /);
});
