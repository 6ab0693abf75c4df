/**
 * The third leg against the project's Stripe-compatible fake: a paid session held, captured and
 * settled through the real payments flow agrees with the gateway; then the gateway's record is
 * made to disagree (authorizations created, captured or cancelled at the gateway directly, as
 * another system or a bug would) and each disagreement is found with its money. The service is
 * built here on the test server's database with the Stripe adapter pointed at the fake (the
 * composition root passes it the payments module's gateway).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import Stripe from 'stripe';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { FakeTime } from '../support/fake-time.ts';
import { startFakeStripe, type FakeStripe } from '../../sim/fake-stripe/index.ts';
import { StripeGateway } from '../../src/capabilities/payments/payment-stripe-service.ts';
import { ReconciliationService, SqlReconciliationRepository } from '../../src/capabilities/reconciliation/index.ts';
import { ALL_TENANTS } from '../../src/kernel/tenant-scope.ts';

const T0 = new Date('2026-12-08T08:00:00Z');
const MIN = 60_000;
const PERIOD = { from: new Date(T0.getTime() - 60 * MIN), to: new Date(T0.getTime() + 4 * 60 * MIN) };
const TARIFF = { id: 'REC-GW-T', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 1, step_size: 1 }] }] };

describe('reconciliation against the gateway', () => {
  const time = new FakeTime(T0);
  let fake: FakeStripe;
  let stripe: Stripe;
  let server: TestServer;
  let service: ReconciliationService;
  const clients: RPCClient[] = [];

  const settle = async () => {
    await server.app.billing.idle();
    await server.app.payments.idle();
  };

  async function station(id: string): Promise<RPCClient> {
    assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId: 'REC-GW-SITE' })).status, 201);
    const client = await strictRpcClient(server.ocppUrl, id, 'ocpp1.6');
    clients.push(client);
    await client.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    return client;
  }

  /** A session without a hold; its CDR is written by the books. Our transaction id and its total. */
  async function plainSession(client: RPCClient, stationId: string, wh: number): Promise<{ transactionId: string; totalMinor: number }> {
    // A start at the same instant as the last one would be the same message again (its idempotency key).
    await time.advance(MIN);
    const started = (await client.call('StartTransaction', { connectorId: 1, idTag: 'REC-GW-TAG', meterStart: 0, timestamp: time.clock().toISOString() })) as { transactionId: number };
    await client.call('StopTransaction', { transactionId: started.transactionId, meterStop: wh, timestamp: time.clock().toISOString() });
    await settle();
    const { id } = await server.app.storage.db.selectFrom('transactions').select('id').where('station_id', '=', stationId).where('ocpp_transaction_id', '=', String(started.transactionId)).executeTakeFirstOrThrow();
    const [cdr] = (await server.api('GET', `/api/v1/cdrs?transactionId=${id}`)).body.items;
    return { transactionId: id, totalMinor: cdr.totalCost.inclTaxMinor };
  }

  /** An authorization made at the gateway directly (not through our hold's flow). */
  const authorize = (amount: number, metadata: Record<string, string> = {}) =>
    stripe.paymentIntents.create({ amount, currency: 'eur', capture_method: 'manual', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card'], metadata });

  async function hold(values: { transactionId: string; stationId: string; state: string; captureMinor: number | null; gatewayRef: string }): Promise<string> {
    const id = randomUUID();
    const now = time.clock();
    await server.app.storage.db
      .insertInto('payment_holds')
      .values({ id, tenant_id: 'default', station_id: values.stationId, evse_id: 1, id_token: `PAY${id.slice(0, 12).toUpperCase()}`, transaction_id: values.transactionId, currency: 'EUR', authorized_minor: 5000, capture_minor: values.captureMinor, shortfall_minor: 0, cdr_id: null, gateway: 'stripe', gateway_ref: values.gatewayRef, state: values.state, increments: 0, last_error: null, created_at: now, updated_at: now, version: 1 })
      .execute();
    return id;
  }

  before(async () => {
    fake = await startFakeStripe({ clock: () => time.clock().getTime() });
    stripe = new Stripe(fake.secretKey, { ...fake.stripeConfig(), maxNetworkRetries: 0 });
    server = await startTestServer(
      { stuck: { enabled: false }, payments: { gateway: 'stripe', holdMinor: 5000, stripe: { secretKey: fake.secretKey, webhookSecret: fake.webhookSecret, apiUrl: fake.url, timeoutSec: 2 } } },
      { time },
    );
    fake.setWebhook(`${server.httpUrl}/api/v1/payments/webhook`);
    const gateway = new StripeGateway({ secretKey: fake.secretKey, webhookSecret: null, ...fake.stripeConfig(), timeoutMs: 2000 });
    service = new ReconciliationService({ repo: new SqlReconciliationRepository(server.app.storage.db), gateway, clock: time.clock, log: pino({ level: 'silent' }), holdOverdueMs: 3600_000 });
    assert.equal((await server.api('POST', '/api/v1/tokens', { idToken: 'REC-GW-TAG' })).status, 201);
    assert.equal((await server.api('POST', '/api/v1/tariffs', TARIFF)).status, 201);
    assert.equal((await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'REC-GW-T', siteId: 'REC-GW-SITE' })).status, 201);
  });
  after(async () => {
    for (const client of clients) await client.close({ force: true });
    await server?.stop();
    await fake?.close();
  });

  const page = { limit: 100, offset: 0 };
  let paid: { id: string; gatewayRef: string; transactionId: string; captureMinor: number };

  test('a paid session captured through the real flow agrees with the gateway: nothing to report', async () => {
    const client = await station('REC-GW-PAY');
    let startedWith: (tx: number) => void;
    const started = new Promise<number>((resolve) => (startedWith = resolve));
    client.handle('RemoteStartTransaction', (({ params }: any) => {
      setImmediate(async () => {
        const answer: any = await client.call('StartTransaction', { connectorId: params.connectorId ?? 1, idTag: params.idTag, meterStart: 0, timestamp: time.clock().toISOString() });
        startedWith(answer.transactionId);
      });
      return { status: 'Accepted' };
    }) as any);
    const answer = await server.api('POST', '/api/v1/pay/sessions', { stationId: 'REC-GW-PAY', evseId: 1, paymentMethod: 'pm_card_visa' }, null);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const ocppId = await started;
    await settle();
    await time.advance(10 * MIN);
    await client.call('StopTransaction', { transactionId: ocppId, meterStop: 2_345, timestamp: time.clock().toISOString() });
    await settle();
    const held = (await server.api('GET', `/api/v1/payments/${answer.body.paymentId}`)).body;
    assert.deepEqual([held.state, held.captureMinor], ['captured', 235]);
    paid = { id: held.id, gatewayRef: held.gatewayRef, transactionId: held.transactionId, captureMinor: held.captureMinor };

    const result = await service.reconcile(ALL_TENANTS, PERIOD, page);
    assert.deepEqual([result.gatewayChecked, result.gateway, result.transactions, result.itemCount], [true, 'stripe', 1, 0], JSON.stringify(result.items));
  });

  test('every way the gateway can disagree is found, with the money at stake', async () => {
    const client = await station('REC-GW-PLAIN');
    // The gateway captured money no hold of ours names.
    const stranger = await authorize(700);
    await stripe.paymentIntents.capture(stranger.id, { amount_to_capture: 700 });
    // A second authorization made (and captured) for our paid session's hold: the session is charged twice.
    const second = await authorize(500, { holdId: paid.id });
    await stripe.paymentIntents.capture(second.id, { amount_to_capture: 500 });
    // We think captured; the gateway has no such authorization.
    const missing = await plainSession(client, 'REC-GW-PLAIN', 1_000);
    const missingHold = await hold({ ...missing, stationId: 'REC-GW-PLAIN', state: 'captured', captureMinor: missing.totalMinor, gatewayRef: 'pi_nowhere' });
    // We think captured; the gateway cancelled it.
    const cancelledIntent = await authorize(5000);
    await stripe.paymentIntents.cancel(cancelledIntent.id);
    const cancelled = await plainSession(client, 'REC-GW-PLAIN', 2_000);
    const cancelledHold = await hold({ ...cancelled, stationId: 'REC-GW-PLAIN', state: 'captured', captureMinor: cancelled.totalMinor, gatewayRef: cancelledIntent.id });
    // We released it; the gateway captured it.
    const takenIntent = await authorize(5000);
    await stripe.paymentIntents.capture(takenIntent.id, { amount_to_capture: 300 });
    const taken = await plainSession(client, 'REC-GW-PLAIN', 3_000);
    const takenHold = await hold({ ...taken, stationId: 'REC-GW-PLAIN', state: 'released', captureMinor: null, gatewayRef: takenIntent.id });

    const result = await service.reconcile(ALL_TENANTS, PERIOD, page);
    const found = result.items.map((i) => [i.kind, i.facts.reason ?? i.facts.source, i.holdId, i.transactionId, i.amountMinor]);
    const expected = [
      ['duplicate-capture', 'gateway', paid.id, paid.transactionId, 235],
      ['gateway-mismatch', 'second-authorization', paid.id, paid.transactionId, 500],
      ['gateway-mismatch', 'missing-at-gateway', missingHold, missing.transactionId, missing.totalMinor],
      ['gateway-mismatch', 'gateway-canceled', cancelledHold, cancelled.transactionId, cancelled.totalMinor],
      ['gateway-mismatch', 'not-captured-here', takenHold, taken.transactionId, 300],
      ['gateway-mismatch', 'unknown-authorization', null, null, 700],
    ];
    const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(sorted(found), sorted(expected));
    assert.equal(result.totals.byKind['gateway-mismatch'].count, 5);
    assert.deepEqual(result.totals.byKind['gateway-mismatch'].byCurrency, { EUR: 500 + missing.totalMinor + cancelled.totalMinor + 300 + 700 });
    // The ledger itself is clean: each hold captured what its CDR says.
    assert.equal(result.items.filter((i) => !['gateway-mismatch', 'duplicate-capture'].includes(i.kind)).length, 0);

    // A tenant's own view: a gateway record no hold names belongs to nobody it can see.
    const own = await service.reconcile({ tenantId: 'default' }, PERIOD, page);
    assert.deepEqual(own.items.filter((i) => i.facts.reason === 'unknown-authorization'), []);
    assert.equal(own.totals.byKind['gateway-mismatch'].count, 4);
    const other = await service.reconcile({ tenantId: 'nobody' }, PERIOD, page);
    assert.equal(other.itemCount, 0, "another tenant sees none of it");
  });
});
