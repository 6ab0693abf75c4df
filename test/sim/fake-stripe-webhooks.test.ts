/**
 * Webhooks of the fake Stripe gateway, received by a local HTTP server and verified with the
 * official client's `stripe.webhooks.constructEvent`: signatures, event types, duplicates, retries,
 * and delivery that never holds up the API answer.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startFakeStripe, stripeSignatureHeader, type FakeStripe, type FakeStripeOptions } from '../../sim/fake-stripe/index.ts';

interface Delivery {
  raw: string;
  signature: string;
}

/** A webhook endpoint that records deliveries; `answer` decides the status per delivery (null: never answer). */
class Receiver {
  readonly deliveries: Delivery[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly server: http.Server;
  answer: (n: number) => number | null = () => 200;

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.deliveries.push({ raw: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature'] ?? '') });
        const status = this.answer(this.deliveries.length);
        if (status !== null) res.writeHead(status).end();
        this.waiters = this.waiters.filter((w) => {
          if (this.deliveries.length < w.count) return true;
          w.resolve();
          return false;
        });
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1/payments/webhook`;
  }

  /** Resolves once `count` deliveries have arrived (no fixed sleep); fails after 3 s. */
  received(count: number): Promise<void> {
    if (this.deliveries.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.deliveries.length} of ${count} deliveries arrived`)), 3000);
      this.waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const verifier = new Stripe('sk_test_unused');
let receiver: Receiver;
let webhookUrl: string;
let fake: FakeStripe | undefined;

async function startWith(options: FakeStripeOptions = {}): Promise<{ fake: FakeStripe; stripe: Stripe }> {
  fake = await startFakeStripe({ webhook: { url: webhookUrl }, ...options });
  return { fake, stripe: new Stripe(fake.secretKey, { ...fake.stripeConfig(), maxNetworkRetries: 0 }) };
}

function hold(stripe: Stripe, paymentMethod = 'pm_card_visa') {
  return stripe.paymentIntents.create({
    amount: 2000, currency: 'eur', capture_method: 'manual', payment_method: paymentMethod, allowed_payment_method_types: ['card'], confirm: true,
  });
}

function verified(d: Delivery, secret: string): Stripe.Event {
  return verifier.webhooks.constructEvent(d.raw, d.signature, secret);
}

before(async () => {
  receiver = new Receiver();
  webhookUrl = await receiver.start();
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  receiver.deliveries.length = 0;
  receiver.answer = () => 200;
});
after(() => receiver.close());

describe('webhooks', () => {
  test('events are signed so that stripe.webhooks.constructEvent accepts them', async () => {
    const { fake, stripe } = await startWith({ webhook: { url: webhookUrl, secret: 'whsec_test_secret' } });
    assert.equal(fake.webhookSecret, 'whsec_test_secret');
    const pi = await hold(stripe);
    await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1700 });
    await receiver.received(2);
    const events = receiver.deliveries.map((d) => verified(d, 'whsec_test_secret'));
    const types = events.map((e) => e.type).sort();
    assert.deepEqual(types, ['payment_intent.amount_capturable_updated', 'payment_intent.succeeded']);
    const succeeded = events.find((e) => e.type === 'payment_intent.succeeded')!;
    assert.match(succeeded.id, /^evt_/);
    assert.equal(succeeded.object, 'event');
    const obj = succeeded.data.object as Stripe.PaymentIntent;
    assert.equal(obj.id, pi.id);
    assert.equal(obj.amount_received, 1700);
    assert.match(receiver.deliveries[0]!.signature, /^t=\d+,v1=[0-9a-f]{64}$/);
  });

  test('a tampered body or another secret fails verification', async () => {
    const { stripe } = await startWith();
    await hold(stripe);
    await receiver.received(1);
    const d = receiver.deliveries[0]!;
    assert.doesNotThrow(() => verified(d, 'whsec_chargebridge'));
    assert.throws(() => verified({ ...d, raw: d.raw.replace('"amount": 2000', '"amount": 1') }, 'whsec_chargebridge'), Stripe.errors.StripeSignatureVerificationError);
    assert.throws(() => verified(d, 'whsec_other'), Stripe.errors.StripeSignatureVerificationError);
  });

  test('the signature helper matches what the official client computes', () => {
    const payload = '{"id":"evt_1"}';
    const header = stripeSignatureHeader('whsec_x', payload, 1_700_000_000);
    const expected = verifier.webhooks.generateTestHeaderString({ payload, secret: 'whsec_x', timestamp: 1_700_000_000 });
    assert.equal(header, expected);
  });

  test('declines, cancellations and increments each produce their event', async () => {
    const { stripe } = await startWith();
    await hold(stripe, 'pm_card_chargeDeclined').catch(() => {});
    const pi = await hold(stripe);
    await stripe.paymentIntents.cancel(pi.id);
    await receiver.received(3);
    const byType = new Map(receiver.deliveries.map((d) => verified(d, 'whsec_chargebridge')).map((e) => [e.type, e]));
    const failed = byType.get('payment_intent.payment_failed')!.data.object as Stripe.PaymentIntent;
    assert.equal(failed.last_payment_error?.decline_code, 'generic_decline');
    assert.equal((byType.get('payment_intent.canceled')!.data.object as Stripe.PaymentIntent).id, pi.id);
    assert.ok(byType.has('payment_intent.amount_capturable_updated'));
  });

  test('duplicateWebhooks delivers every event twice with the same event id', async () => {
    const { fake, stripe } = await startWith({ duplicateWebhooks: true });
    const pi = await hold(stripe);
    await receiver.received(2);
    const [a, b] = receiver.deliveries.map((d) => verified(d, fake.webhookSecret));
    assert.equal(a!.id, b!.id);
    assert.equal(a!.type, 'payment_intent.amount_capturable_updated');
    assert.equal((a!.data.object as Stripe.PaymentIntent).id, pi.id);
    assert.equal(fake.events().length, 1);
  });

  test('a failing endpoint gets the event again', async () => {
    receiver.answer = (n) => (n === 1 ? 500 : 200);
    const { stripe } = await startWith({ webhookRetryDelaysMs: [10, 10] });
    await hold(stripe);
    await receiver.received(2);
    const [first, second] = receiver.deliveries.map((d) => verified(d, 'whsec_chargebridge'));
    assert.equal(second!.id, first!.id);
  });

  test('delivery never holds up the API answer', async () => {
    receiver.answer = () => null;
    const { fake, stripe } = await startWith();
    const pi = await hold(stripe);
    assert.equal(pi.status, 'requires_capture');
    await receiver.received(1);
    assert.equal(fake.events()[0]?.pending_webhooks, 1);
  });

  test('setWebhook(null) stops deliveries; events are still recorded', async () => {
    const { fake, stripe } = await startWith();
    fake.setWebhook(null);
    await hold(stripe);
    fake.setWebhook(webhookUrl);
    const pi = await hold(stripe);
    await receiver.received(1);
    const events = fake.events();
    assert.deepEqual(events.map((e) => e.pending_webhooks), [0, 1]);
    assert.equal((verified(receiver.deliveries[0]!, fake.webhookSecret).data.object as Stripe.PaymentIntent).id, pi.id);
    assert.equal(receiver.deliveries.length, 1);
  });
});
