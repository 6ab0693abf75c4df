/**
 * Running cost to the station and the driver, over real sockets and a fake clock: a 2.0.1 station
 * gets CostUpdated with its session's live cost (the figure of the transaction's REST view) no
 * more often than billing.costUpdateIntervalSec; a 1.6 station that shows cost gets the California
 * pricing RunningCost and, from the CDR, FinalCost; a 1.6 station without it gets nothing; an
 * ocpp-rpc station in strict mode checks our CostUpdated against the official schema.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RPCClient } from 'ocpp-rpc';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { FakeTime } from '../support/fake-time.ts';
import { SimStation } from '../../sim/index.ts';

// 0.30/kWh, 2.00/h of charging, 1.00 per session; 20 % VAT on each.
const TARIFF = {
  id: 'RC-T1',
  currency: 'EUR',
  elements: [{ price_components: [
    { type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 },
    { type: 'TIME', price: 2, vat: 20, step_size: 1 },
    { type: 'FLAT', price: 1, vat: 20, step_size: 1 },
  ] }],
};
const T0 = new Date('2026-12-09T08:00:00Z');
const SEC = 1000;
const MIN = 60 * SEC;

describe('running cost to stations', () => {
  const time = new FakeTime(T0);
  const logLines: string[] = [];
  let server: TestServer;
  const stations: SimStation[] = [];
  const clients: RPCClient[] = [];
  const now = () => time.clock().toISOString();
  const view = async (stationId: string) => (await server.api('GET', `/api/v1/transactions?stationId=${stationId}`)).body.items[0];
  const commandsOf = async (stationId: string, type: string) =>
    ((await server.api('GET', `/api/v1/stations/${stationId}/commands?limit=100`)).body.items as Array<{ type: string; state: string; params: Record<string, unknown> }>).filter((c) => c.type === type);
  const logged = (msg: string, transactionId: string) => logLines.some((line) => line.includes(`"msg":"${msg}"`) && line.includes(`"transactionId":"${transactionId}"`));

  before(async () => {
    // The stuck capability would close these sessions while the fake clock jumps without a message.
    server = await startTestServer({ stuck: { enabled: false }, billing: { costUpdateIntervalSec: 60 } }, { time, logLines });
    await server.api('POST', '/api/v1/tokens', { idToken: 'RC-TAG' });
    assert.equal((await server.api('POST', '/api/v1/tariffs', TARIFF)).status, 201);
    for (const id of ['RC-201', 'RC-16', 'RC-16-NO', 'RC-RPC']) {
      assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId: 'RC-SITE' })).status, 201);
    }
    assert.equal((await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'RC-T1', siteId: 'RC-SITE' })).status, 201);
  });
  after(async () => {
    for (const c of clients) await c.close();
    for (const s of stations) await s.stop();
    await server.stop();
  });

  async function simStation(id: string, version: '1.6' | '2.0.1', setup?: (s: SimStation) => void): Promise<SimStation> {
    const station = new SimStation({ url: server.ocppUrl, id, version, heartbeats: false, reconnect: false, callTimeoutMs: 5000 });
    setup?.(station);
    stations.push(station);
    await station.start();
    await eventually(() => server.app.cluster.locate(id), `${id} connected`);
    return station;
  }

  /** The CSMS reads the 1.6 key the way an operator or a template would: a getConfiguration command. */
  async function learnDisplayKey(stationId: string): Promise<string | null> {
    const read = await server.api('POST', `/api/v1/stations/${stationId}/commands?wait=5`, { type: 'getConfiguration', keys: ['CustomDisplayCostAndPrice'] });
    assert.ok(['accepted'].includes(read.body.state), JSON.stringify(read.body));
    const config = await server.api('GET', `/api/v1/stations/${stationId}/configuration?variable=CustomDisplayCostAndPrice`);
    return config.body.items[0]?.value ?? null;
  }

  const kWh = (value: number, context = 'Sample.Periodic') => [{ timestamp: now(), sampledValue: [{ value, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh', multiplier: 0 } }] }];

  test('2.0.1: CostUpdated with the live cost of the transaction view, not more often than the interval, nothing after the end', async () => {
    const station = await simStation('RC-201', '2.0.1');
    const id = randomUUID();
    let seqNo = 0;
    const event = (eventType: string, triggerReason: string, value: number, extra: Record<string, unknown> = {}) =>
      station.call('TransactionEvent', { eventType, timestamp: now(), triggerReason, seqNo: seqNo++, transactionInfo: { transactionId: id, chargingState: 'Charging' }, meterValue: kWh(value), ...extra });

    await event('Started', 'Authorized', 1, { idToken: { idToken: 'RC-TAG', type: 'ISO14443' }, evse: { id: 1, connectorId: 1 } });
    await time.advance(MIN);
    await event('Updated', 'MeterValuePeriodic', 3);
    const first = await eventually(() => station.costs.of(id)?.running, 'the first CostUpdated');
    // 2 kWh x 0.36 + 1 min x 2.40/h + 1.20 = 0.72 + 0.04 + 1.20
    const live = (await view('RC-201')).cost;
    assert.deepEqual([first.cost, live.totalInclTax], [1.96, '1.96'], 'the station shows what the view shows');

    // 20 s later: a new meter value, but the interval has not passed.
    await time.advance(20 * SEC);
    await event('Updated', 'MeterValuePeriodic', 4);
    // 65 s after the first: due, and the total moved.
    await time.advance(45 * SEC);
    await event('Updated', 'MeterValuePeriodic', 5);
    await eventually(async () => (await commandsOf('RC-201', 'costUpdated')).length >= 2, 'the second CostUpdated queued');
    const sent = await commandsOf('RC-201', 'costUpdated');
    // Per transaction the decisions run in order: the one at 20 s was taken before the third's command was queued.
    assert.equal(sent.length, 2, 'the update inside the interval sent nothing');
    await eventually(() => station.costs.of(id)?.runningCount === 2, 'the second CostUpdated delivered');
    const second = station.costs.of(id)!.running!;
    assert.equal(String(second.cost.toFixed(2)), (await view('RC-201')).cost.totalInclTax);
    assert.ok(second.cost > first.cost);
    assert.ok(sent.every((c) => c.params.ocppTransactionId === id && c.state === 'accepted'));

    await time.advance(2 * MIN);
    await event('Ended', 'EVCommunicationLost', 6, { transactionInfo: { transactionId: id, stoppedReason: 'EVDisconnected' } });
    await server.app.billing.idle();
    assert.equal((await commandsOf('RC-201', 'costUpdated')).length, 2, 'the end is not a running update');
  });

  test('1.6 with CustomDisplayCostAndPrice: RunningCost while charging, FinalCost equal to the CDR', async () => {
    const station = await simStation('RC-16', '1.6', (s) => s.costs.advertise());
    assert.equal(await learnDisplayKey('RC-16'), 'true');
    const start = await station.call('StartTransaction', { connectorId: 1, idTag: 'RC-TAG', meterStart: 10_000, timestamp: now() });
    const txId = String(start.transactionId);
    await time.advance(30 * MIN);
    await station.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [{ timestamp: now(), sampledValue: [{ value: '20000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    const running = await eventually(() => station.costs.of(txId)?.running, 'RunningCost');
    // 10 kWh x 0.36 + 0.5 h x 2.40 + 1.20 = 6.00
    assert.equal(running.cost, Number((await view('RC-16')).cost.totalInclTax));
    assert.equal(running.cost, 6);
    assert.deepEqual([running.meterValue, running.timestamp, running.state], [20_000, now(), 'Charging']);
    assert.deepEqual(running.chargingPrice, { kWhPrice: 0.36, hourPrice: 2.4, flatFee: 1.2 });

    await station.call('StopTransaction', { transactionId: start.transactionId, meterStop: 20_000, timestamp: now(), reason: 'Local' });
    await server.app.billing.idle();
    const [cdr] = (await server.api('GET', '/api/v1/cdrs?stationId=RC-16')).body.items;
    const final = await eventually(() => station.costs.of(txId)?.final, 'FinalCost');
    assert.equal(final.cost, Number(cdr.totalCost.inclTax));
    assert.equal(final.cost, running.cost, 'nothing was consumed after the last reading');
    assert.equal(final.priceText, 'Total 6.00 EUR, 10 kWh');
    assert.deepEqual((await commandsOf('RC-16', 'californiaCost')).map((c) => [c.params.message, c.state]).sort(), [['finalCost', 'accepted'], ['runningCost', 'accepted']]);
  });

  test('1.6 without CustomDisplayCostAndPrice: nothing is sent', async () => {
    const station = await simStation('RC-16-NO', '1.6');
    assert.equal(await learnDisplayKey('RC-16-NO'), null, 'the station does not know the key');
    const start = await station.call('StartTransaction', { connectorId: 1, idTag: 'RC-TAG', meterStart: 0, timestamp: now() });
    const transactionId = (await view('RC-16-NO')).id as string;
    await time.advance(2 * MIN);
    await station.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [{ timestamp: now(), sampledValue: [{ value: '3000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    await eventually(() => logged('running cost not sent: the station does not show cost', transactionId), 'the running cost decided');
    await station.call('StopTransaction', { transactionId: start.transactionId, meterStop: 3000, timestamp: now() });
    await server.app.billing.idle();
    await eventually(() => logged('final cost not sent: the station does not show cost', transactionId), 'the final cost decided');
    assert.equal(station.costs.byTransaction.size, 0);
    assert.deepEqual(await commandsOf('RC-16-NO', 'californiaCost'), []);
  });

  test('ocpp-rpc strict station: our CostUpdated passes the official schema; costUpdated can be submitted by REST with the station\'s id', async () => {
    const client = await strictRpcClient(server.ocppUrl, 'RC-RPC', 'ocpp2.0.1');
    clients.push(client);
    const received: Array<{ totalCost: number; transactionId: string }> = [];
    client.handle('CostUpdated', async ({ params }) => {
      received.push(params as { totalCost: number; transactionId: string });
      return {};
    });
    await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
    const id = randomUUID();
    const evse = { id: 1, connectorId: 1 };
    await client.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0, idToken: { idToken: 'RC-TAG', type: 'ISO14443' }, evse, transactionInfo: { transactionId: id, chargingState: 'Charging' }, meterValue: kWh(0, 'Transaction.Begin') });
    await time.advance(10 * MIN);
    await client.call('TransactionEvent', { eventType: 'Updated', timestamp: now(), triggerReason: 'MeterValuePeriodic', seqNo: 1, transactionInfo: { transactionId: id }, meterValue: kWh(5) });
    await eventually(() => received.length === 1, 'CostUpdated received');
    // 5 kWh x 0.36 + 10 min x 2.40/h + 1.20 = 1.80 + 0.40 + 1.20
    assert.deepEqual(received[0], { totalCost: 3.4, transactionId: id });
    assert.equal((await view('RC-RPC')).cost.totalInclTax, '3.40');

    const submitted = await server.api('POST', '/api/v1/stations/RC-RPC/commands?wait=5', { type: 'costUpdated', transactionId: id, totalCost: 3.5 });
    assert.deepEqual([submitted.status, submitted.body.state, submitted.body.params.ocppTransactionId], [200, 'accepted', id]);
    assert.deepEqual(received[1], { totalCost: 3.5, transactionId: id });
    const other = await server.api('POST', '/api/v1/stations/RC-RPC/commands', { type: 'costUpdated', transactionId: (await view('RC-201')).id, totalCost: 1 });
    assert.deepEqual([other.status, other.body.code], [400, 'invalid-input'], 'a transaction of another station');
  });
});
