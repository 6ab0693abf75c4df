/**
 * The fast path: a paid session starts before the bank answers, under an exposure bound; a hold
 * that then fails stops the session and records what it consumed; a gateway that does not answer
 * stops the session when its cost reaches the bound. Stations are ocpp-rpc in strict mode.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { FakeTime } from '../support/fake-time.ts';
import { startFakeStripe, type FakeStripe } from '../../sim/fake-stripe/index.ts';

const MIN = 60_000;

/** Fails clearly instead of hanging when what the station waits for never comes. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
const TARIFF = { id: 'FAST-T1', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 1, step_size: 1 }] }] };

describe('payments: the fast path', () => {
  const time = new FakeTime(new Date('2026-12-08T08:00:00Z'));
  let fake: FakeStripe;
  let server: TestServer;
  const clients: RPCClient[] = [];

  /** A 1.6 station: starts on RemoteStartTransaction (recording the hold's state at that moment), stops on RemoteStopTransaction. */
  async function station(id: string) {
    assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId: 'FAST-SITE' })).status, 201);
    const client = await strictRpcClient(server.ocppUrl, id, 'ocpp1.6');
    clients.push(client);
    await client.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    let onStart: (tx: number) => void;
    let onStop: () => void;
    const started = new Promise<number>((resolve) => (onStart = resolve));
    const stopRequested = new Promise<void>((resolve) => (onStop = resolve));
    client.handle('RemoteStartTransaction', (({ params }: any) => {
      setImmediate(async () => {
        const answer: any = await client.call('StartTransaction', { connectorId: 1, idTag: params.idTag, meterStart: 0, timestamp: time.clock().toISOString() });
        onStart(answer.transactionId);
      });
      return { status: 'Accepted' };
    }) as any);
    client.handle('RemoteStopTransaction', (() => {
      onStop();
      return { status: 'Accepted' };
    }) as any);
    return { client, started, stopRequested };
  }
  const hold = async (id: string) => (await server.api('GET', `/api/v1/payments/${id}`)).body;
  const pay = (stationId: string, paymentMethod: string) => server.api('POST', '/api/v1/pay/sessions', { stationId, evseId: 1, paymentMethod }, null);
  const settle = async () => {
    await server.app.payments.idle();
    await server.app.billing.idle();
    await server.app.payments.idle();
  };

  before(async () => {
    fake = await startFakeStripe({ clock: () => time.clock().getTime() });
    server = await startTestServer(
      { stuck: { enabled: false }, payments: { gateway: 'stripe', holdMinor: 3000, fastPath: { enabled: true, maxExposureMinor: 1000 }, stripe: { secretKey: fake.secretKey, webhookSecret: fake.webhookSecret, apiUrl: fake.url, timeoutSec: 5 } } },
      { time },
    );
    assert.equal((await server.api('POST', '/api/v1/tariffs', TARIFF)).status, 201);
    assert.equal((await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'FAST-T1', siteId: 'FAST-SITE' })).status, 201);
  });
  after(async () => {
    for (const client of clients) await client.close({ force: true });
    await server.stop();
    await fake.close();
  });

  test('the session starts while the bank is still answering, then the hold is placed and captured', async () => {
    const { client, started } = await station('FAST-1');
    fake.setLatency(1500);
    const answer = await pay('FAST-1', 'pm_card_visa');
    assert.deepEqual([answer.status, answer.body.state], [201, 'authorizing'], 'answered before the gateway');
    assert.ok(answer.body.commandId, 'the remote start is already queued');
    const transactionId = await within(started, 5000, 'remote start');
    assert.equal((await hold(answer.body.paymentId)).state, 'authorizing', 'charging started before the hold was placed');
    await settle();
    fake.setLatency(0);
    assert.equal((await hold(answer.body.paymentId)).state, 'authorized');
    await time.advance(MIN);
    await client.call('StopTransaction', { transactionId, meterStop: 5000, timestamp: time.clock().toISOString() });
    await settle();
    const done = await hold(answer.body.paymentId);
    assert.deepEqual([done.state, done.captureMinor, done.transactionId !== null], ['captured', 500, true]);
  });

  test('a declined card stops the session that already started, and what it consumed is recorded', async () => {
    const { client, started, stopRequested } = await station('FAST-2');
    fake.setLatency(300);
    const answer = await pay('FAST-2', 'pm_card_chargeDeclined');
    assert.equal(answer.body.state, 'authorizing');
    const transactionId = await within(started, 5000, 'remote start');
    await settle();
    fake.setLatency(0);
    await within(stopRequested, 5000, 'remote stop');
    await time.advance(MIN);
    await client.call('StopTransaction', { transactionId, meterStop: 700, timestamp: time.clock().toISOString(), reason: 'Remote' });
    await settle();
    const after = await hold(answer.body.paymentId);
    assert.deepEqual([after.state, after.shortfallMinor], ['declined', 70], 'the exposure: 0.7 kWh at 1.00');
    assert.ok(after.log.some((e: any) => e.state === 'exposure-recorded'));
    const token = (await server.api('GET', '/api/v1/transactions?stationId=FAST-2')).body.items[0].idToken;
    assert.equal((await server.api('GET', `/api/v1/tokens/${token}`)).body.status, 'Blocked', 'the token cannot start another session');
  });

  test('a gateway that does not answer: the session is stopped when its cost reaches the exposure bound', async () => {
    const { client, started, stopRequested } = await station('FAST-3');
    // Down for the whole test: the sweep's retries (every 30 s of the fake clock) are not answered either.
    fake.failNext(1000, { path: /\/v1\/payment_intents$/, mode: 'error500' });
    const answer = await pay('FAST-3', 'pm_card_visa');
    const transactionId = await within(started, 5000, 'remote start');
    await settle();
    assert.equal((await hold(answer.body.paymentId)).state, 'authorizing', 'unanswered: not placed');
    await time.advance(10 * MIN);
    await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: time.clock().toISOString(), sampledValue: [{ value: '9000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    await settle();
    assert.equal((await hold(answer.body.paymentId)).log.some((e: any) => e.state === 'exposure-reached'), false, '9.00 is under the 10.00 bound');
    await time.advance(MIN);
    await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: time.clock().toISOString(), sampledValue: [{ value: '10500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    await settle();
    await within(stopRequested, 5000, 'remote stop');
    assert.ok((await hold(answer.body.paymentId)).log.some((e: any) => e.state === 'exposure-reached'));
  });

  test('a card refused only when the sweep retries (the gateway was down at first) still stops the session', async () => {
    const { client, started, stopRequested } = await station('FAST-4');
    fake.reset();
    fake.failNext(1, { path: /\/v1\/payment_intents$/, mode: 'error500' });
    const answer = await pay('FAST-4', 'pm_card_chargeDeclined');
    const transactionId = await within(started, 5000, 'remote start');
    await settle();
    assert.equal((await hold(answer.body.paymentId)).state, 'authorizing');
    await time.advance(30_000);
    await settle();
    await within(stopRequested, 5000, 'remote stop');
    await client.call('StopTransaction', { transactionId, meterStop: 300, timestamp: time.clock().toISOString(), reason: 'Remote' });
    await settle();
    const after = await hold(answer.body.paymentId);
    assert.deepEqual([after.state, after.shortfallMinor], ['declined', 30]);
  });
});
