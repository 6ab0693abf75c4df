/**
 * Card holds against the project's Stripe-compatible fake, through the official `stripe` package,
 * over real sockets: a paid session from hold to capture, a decline, an increment when the running
 * cost nears the hold, an unused hold released, a crash between the gateway's capture and our
 * record repaired with the same idempotency key (captured once), an unanswered authorization
 * retried, and the gateway's expiry webhook applied once though delivered twice.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { FakeTime } from '../support/fake-time.ts';
import { startFakeStripe, type FakeStripe } from '../../sim/fake-stripe/index.ts';

const T0 = new Date('2026-12-08T08:00:00Z');
const MIN = 60_000;
// 1.00 EUR per kWh, tax included in the price given (no VAT component).
const TARIFF = { id: 'PAY-T1', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 1, step_size: 1 }] }] };

describe('payments: card holds that always settle', () => {
  const time = new FakeTime(T0);
  let fake: FakeStripe;
  let server: TestServer;
  const stations = new Map<string, RPCClient>();

  /** A 1.6 station that accepts a remote start and starts the session with the token it was given. */
  async function station(id: string): Promise<{ client: RPCClient; started: Promise<number> }> {
    assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId: 'PAY-SITE' })).status, 201);
    const client = await strictRpcClient(server.ocppUrl, id, 'ocpp1.6');
    stations.set(id, client);
    // Queued commands go to a station once it has booted (or after a grace on the system timers).
    await client.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    let resolveStart: (tx: number) => void;
    const started = new Promise<number>((resolve) => (resolveStart = resolve));
    client.handle('RemoteStartTransaction', (({ params }: any) => {
      setImmediate(async () => {
        const answer: any = await client.call('StartTransaction', { connectorId: params.connectorId ?? 1, idTag: params.idTag, meterStart: 0, timestamp: time.clock().toISOString() });
        assert.equal(answer.idTagInfo.status, 'Accepted', 'the paid session\'s token is accepted');
        resolveStart(answer.transactionId);
      });
      return { status: 'Accepted' };
    }) as any);
    return { client, started };
  }
  const settle = async () => {
    await server.app.billing.idle();
    await server.app.payments.idle();
  };
  const hold = async (id: string) => (await server.api('GET', `/api/v1/payments/${id}`)).body;
  const pay = (stationId: string, paymentMethod: string) => server.api('POST', '/api/v1/pay/sessions', { stationId, evseId: 1, paymentMethod }, null);

  before(async () => {
    fake = await startFakeStripe({ clock: () => time.clock().getTime(), duplicateWebhooks: true, authorizationExpiryMs: 24 * 60 * MIN });
    server = await startTestServer(
      { stuck: { enabled: false }, payments: { gateway: 'stripe', fastPath: { enabled: false }, holdMinor: 1000, incrementMinor: 2000, unusedHoldSec: 600, sweepIntervalSec: 30, stripe: { secretKey: fake.secretKey, webhookSecret: fake.webhookSecret, apiUrl: fake.url, timeoutSec: 2 } } },
      { time },
    );
    fake.setWebhook(`${server.httpUrl}/api/v1/payments/webhook`);
    assert.equal((await server.api('POST', '/api/v1/tariffs', TARIFF)).status, 201);
    assert.equal((await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'PAY-T1', siteId: 'PAY-SITE' })).status, 201);
  });
  after(async () => {
    for (const client of stations.values()) await client.close({ force: true });
    await server.stop();
    await fake.close();
  });

  test('hold -> remote start -> meter values (increment near the hold) -> stop -> CDR -> capture of exactly the CDR', async () => {
    const { client, started } = await station('PAY-1');
    const answer = await pay('PAY-1', 'pm_card_visa');
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.deepEqual([answer.body.state, answer.body.heldMinor, answer.body.currency], ['authorized', 1000, 'EUR']);
    assert.ok(answer.body.commandId, 'a remote start was queued');
    const transactionId = await started;
    await time.advance(30 * MIN);
    await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: time.clock().toISOString(), sampledValue: [{ value: '8500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    await settle();
    // 8.50 of 10.00 held: past 80 %, the hold is raised to 30.00 (+20.00).
    const raised = await hold(answer.body.paymentId);
    assert.deepEqual([raised.state, raised.authorizedMinor], ['authorized', 3000]);
    assert.equal(fake.paymentIntent(raised.gatewayRef)?.amount, 3000);
    const live = (await server.api('GET', `/api/v1/pay/sessions/${answer.body.paymentId}`, undefined, null)).body;
    assert.deepEqual([live.charging, live.energyWh, live.cost, live.ended], [true, 8500, '8.50', false], 'the driver sees live kWh and cost');

    await time.advance(MIN);
    await client.call('StopTransaction', { transactionId, meterStop: 12_345, timestamp: time.clock().toISOString() });
    await settle();
    const done = await hold(answer.body.paymentId);
    const [cdr] = (await server.api('GET', '/api/v1/cdrs?stationId=PAY-1')).body.items;
    assert.equal(cdr.totalCost.inclTaxMinor, 1235, '12.345 kWh x 1.00, rounded once');
    assert.deepEqual([done.state, done.captureMinor, done.shortfallMinor, done.cdrId], ['captured', 1235, 0, cdr.id]);
    const intent = fake.paymentIntent(done.gatewayRef)!;
    assert.deepEqual([intent.status, intent.amount_received], ['succeeded', 1235], 'the gateway captured the CDR, the rest is released');
    assert.deepEqual(done.log.map((e: any) => e.state), ['authorizing', 'authorized', 'linked', 'incremented', 'capturing', 'captured']);
    const receipt = (await server.api('GET', `/api/v1/pay/sessions/${answer.body.paymentId}`, undefined, null)).body;
    assert.deepEqual([receipt.capturedMinor, receipt.cost, receipt.energyWh, receipt.ended], [1235, '12.35', 12_345, true], 'the driver sees the receipt');
  });

  test('a declined card: no hold, no remote start', async () => {
    await station('PAY-2');
    const answer = await pay('PAY-2', 'pm_card_chargeDeclined');
    assert.deepEqual([answer.status, answer.body.state, answer.body.commandId], [201, 'declined', null]);
    const commands = (await server.api('GET', '/api/v1/stations/PAY-2/commands')).body.items ?? [];
    assert.equal(commands.length, 0);
  });

  test('a crash between the gateway\'s capture and our record: the sweep repeats the call with the same key and it is captured once', async () => {
    const { client, started } = await station('PAY-3');
    const answer = await pay('PAY-3', 'pm_card_visa');
    const transactionId = await started;
    // The capture is applied by the gateway, but its answer never arrives (twice: the client retries a dropped connection once),
    // and no webhook tells us either (it would repair the record as well): only the sweep can.
    fake.setWebhook(null);
    fake.failNext(2, { path: /\/capture$/, mode: 'applyThenDrop' });
    await client.call('StopTransaction', { transactionId, meterStop: 4000, timestamp: time.clock().toISOString() });
    await settle();
    const unanswered = await hold(answer.body.paymentId);
    assert.equal(unanswered.state, 'capturing', 'our record still says capturing');
    assert.equal(fake.paymentIntent(unanswered.gatewayRef)?.amount_received, 400, 'though the gateway did capture');
    await time.advance(30_000);
    await settle();
    const repaired = await hold(answer.body.paymentId);
    assert.deepEqual([repaired.state, repaired.captureMinor], ['captured', 400]);
    const captures = fake.requests().filter((r) => r.path.endsWith(`${repaired.gatewayRef}/capture`));
    assert.ok(captures.length >= 3 && new Set(captures.map((r) => r.idempotencyKey)).size === 1, 'every attempt carried one key');
    assert.equal(fake.paymentIntent(repaired.gatewayRef)?.amount_received, 400, 'captured once');
    fake.setWebhook(`${server.httpUrl}/api/v1/payments/webhook`);
  });

  test('an unanswered authorization is retried with its key; a hold no session uses is released', async () => {
    await station('PAY-4');
    fake.failNext(1, { path: /\/v1\/payment_intents$/, mode: 'error500' });
    const answer = await pay('PAY-4', 'pm_card_visa');
    assert.deepEqual([answer.body.state, answer.body.commandId], ['authorizing', null]);
    await time.advance(30_000);
    await settle();
    assert.equal((await hold(answer.body.paymentId)).state, 'authorized', 'the sweep placed it with the same key');
    await time.advance(11 * MIN);
    await settle();
    const released = await hold(answer.body.paymentId);
    assert.equal(released.state, 'released');
    assert.equal(fake.paymentIntent(released.gatewayRef)?.status, 'canceled');
  });

  test('the gateway\'s expiry reaches us by webhook, twice, and is applied once', async () => {
    await station('PAY-5');
    const answer = await pay('PAY-5', 'pm_card_visa');
    const { gatewayRef } = await hold(answer.body.paymentId);
    // The remote start is never answered by a session; the card network's window ends first.
    await time.advance(25 * 60 * MIN);
    fake.sweepExpired();
    for (let i = 0; i < 50 && fake.events().filter((e) => e.type === 'payment_intent.canceled' && (e.data.object as any).id === gatewayRef).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 100 && (await hold(answer.body.paymentId)).log.filter((e: any) => e.state === 'expired' || e.state === 'released').length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const after = await hold(answer.body.paymentId);
    assert.ok(['expired', 'released'].includes(after.state), after.state);
    assert.equal(after.log.filter((e: any) => e.state === after.state).length, 1, 'one transition, though the event came twice');
    const bad = await server.api('POST', '/api/v1/payments/webhook', { id: 'evt_x', type: 'payment_intent.canceled' }, null);
    assert.deepEqual([bad.status, bad.body.code], [400, 'invalid-input'], 'an unsigned webhook is refused');
  });

  test('a stuck session closed by the CSMS captures what was delivered; the late real stop is flagged, not charged again', async () => {
    const { client, started } = await station('PAY-6');
    const answer = await pay('PAY-6', 'pm_card_visa');
    const transactionId = await started;
    await time.advance(30 * MIN);
    await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: time.clock().toISOString(), sampledValue: [{ value: '3000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    await settle();
    const tx = (await server.api('GET', '/api/v1/transactions?stationId=PAY-6')).body.items[0];
    // The station goes silent; the stuck capability's last step closes the session on its best estimate.
    assert.ok(await server.app.transactions.forceClose(tx.id, { reason: 'test', endedAt: time.clock(), key: 'pay-6-close' }));
    await settle();
    const captured = await hold(answer.body.paymentId);
    assert.deepEqual([captured.state, captured.captureMinor], ['captured', 300], 'the estimate (3 kWh) is captured, the rest of the hold released');
    // The station returns with its real stop: the CDR is corrected, the capture is flagged for the operator.
    await client.call('StopTransaction', { transactionId, meterStop: 3500, timestamp: time.clock().toISOString() });
    await settle();
    const flagged = await hold(answer.body.paymentId);
    assert.deepEqual([flagged.state, flagged.captureMinor], ['captured', 300]);
    assert.ok(flagged.log.some((e: any) => e.state === 'adjustment-needed' && e.detail.owedMinor === 350), JSON.stringify(flagged.log));
    assert.equal(fake.paymentIntent(flagged.gatewayRef)?.amount_received, 300, 'never captured twice');
  });

  test('a session that starts late, after its unused hold was released, is stopped and what it consumed is recorded', async () => {
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'PAY-7', siteId: 'PAY-SITE' })).status, 201);
    const client = await strictRpcClient(server.ocppUrl, 'PAY-7', 'ocpp1.6');
    stations.set('PAY-7', client);
    await client.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    let idTag = '';
    const asked = new Promise<void>((resolve) => client.handle('RemoteStartTransaction', (({ params }: any) => ((idTag = params.idTag), resolve(), { status: 'Accepted' })) as any));
    let stopAsked!: () => void;
    const stopRequested = new Promise<void>((resolve) => (stopAsked = resolve));
    client.handle('RemoteStopTransaction', (() => (stopAsked(), { status: 'Accepted' })) as any);
    const answer = await pay('PAY-7', 'pm_card_visa');
    await asked;
    // The station does not start (offline, queued): the hold is released as unused.
    await time.advance(11 * MIN);
    await settle();
    assert.equal((await hold(answer.body.paymentId)).state, 'released');
    // Then its StartTransaction arrives after all.
    const start: any = await client.call('StartTransaction', { connectorId: 1, idTag, meterStart: 0, timestamp: time.clock().toISOString() });
    await settle();
    await stopRequested;
    await time.advance(MIN);
    await client.call('StopTransaction', { transactionId: start.transactionId, meterStop: 800, timestamp: time.clock().toISOString(), reason: 'Remote' });
    await settle();
    const after = await hold(answer.body.paymentId);
    assert.deepEqual([after.state, after.shortfallMinor], ['released', 80], 'the 0.8 kWh charged without a hold is on record');
    assert.ok(after.log.some((e: any) => e.state === 'exposure-recorded'));
  });
});
