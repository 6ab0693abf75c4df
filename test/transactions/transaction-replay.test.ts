/**
 * Transaction messages as networks really deliver them: late, duplicated,
 * reversed, with seqNo gaps, stops before starts, unknown ids. Whatever the
 * order, the CSMS answers every message, loses none, and converges on the
 * same transaction.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { openRaw, type RawClient } from '../support/raw-client.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.api('POST', '/api/v1/tokens', { idToken: 'GOOD-TAG' });
  await server.api('POST', '/api/v1/tokens', { idToken: 'BLOCKED-TAG', status: 'Blocked' });
});
after(() => server.stop());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const txOf = async (stationId: string) => (await server.api('GET', `/api/v1/transactions?stationId=${stationId}`)).body.items;
const detail = async (id: string) => (await server.api('GET', `/api/v1/transactions/${id}`)).body;

async function station(id: string, version: '1.6' | '2.0.1'): Promise<RawClient> {
  return openRaw(`${server.ocppUrl}/${id}`, version === '1.6' ? 'ocpp1.6' : 'ocpp2.0.1');
}

describe('OCPP 1.6 transactions', () => {
  const energy = (wh: number, at: string) => ({ timestamp: at, sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] });

  test('start, meter values and stop make one completed transaction with its energy and timeline', async () => {
    const s = await station('TX16-A', '1.6');
    const start = await s.call('StartTransaction', { connectorId: 1, idTag: 'GOOD-TAG', meterStart: 1000, timestamp: minutesAgo(0) });
    assert.equal(start[2].idTagInfo.status, 'Accepted');
    const id = start[2].transactionId;
    assert.ok(Number.isInteger(id));
    assert.deepEqual(await s.call('MeterValues', { connectorId: 1, transactionId: id, meterValue: [{ timestamp: minutesAgo(0), sampledValue: [{ value: '1.5', unit: 'kWh' }, { value: '7200', measurand: 'Power.Active.Import', unit: 'W' }] }] }), [3, 'm2', {}]);
    await s.call('StopTransaction', { transactionId: id, meterStop: 4000, timestamp: minutesAgo(0), reason: 'EVDisconnected' });
    const [tx] = await txOf('TX16-A');
    assert.deepEqual(
      [tx.state, tx.ocppTransactionId, tx.evseId, tx.connectorId, tx.idToken, tx.meterStartWh, tx.meterStopWh, tx.energyWh, tx.stopReason, tx.offline, tx.flags],
      ['completed', String(id), 1, 1, 'GOOD-TAG', 1000, 4000, 3000, 'EVDisconnected', false, []],
    );
    const full = await detail(tx.id);
    assert.deepEqual(full.timeline.map((e: any) => e.kind), ['started', 'updated', 'ended']);
    const series = (await server.api('GET', `/api/v1/transactions/${tx.id}/meter-values?measurand=Energy.Active.Import.Register`)).body.items;
    assert.deepEqual(series.map((v: any) => v.value), [1500], 'kWh converted to Wh');
    await s.close();
  });

  test('a repeated StartTransaction gets the same transaction id; repeated meter values are stored once', async () => {
    const s = await station('TX16-B', '1.6');
    const req = { connectorId: 2, idTag: 'GOOD-TAG', meterStart: 0, timestamp: minutesAgo(1) };
    const first = (await s.call('StartTransaction', req))[2].transactionId;
    const again = (await s.call('StartTransaction', req))[2].transactionId;
    assert.equal(again, first);
    const mv = { connectorId: 2, transactionId: first, meterValue: [energy(500, minutesAgo(0))] };
    await s.call('MeterValues', mv);
    await s.call('MeterValues', mv);
    const [tx] = await txOf('TX16-B');
    assert.equal((await detail(tx.id)).timeline.length, 2);
    assert.equal((await txOf('TX16-B')).length, 1);
    await s.close();
  });

  test('a stop for a transaction the CSMS never saw is answered and recorded, never rejected', async () => {
    const s = await station('TX16-C', '1.6');
    const answer = await s.call('StopTransaction', { transactionId: 987654, idTag: 'GOOD-TAG', meterStop: 7000, timestamp: minutesAgo(0) });
    assert.deepEqual(answer, [3, answer[1], { idTagInfo: { status: 'Accepted' } }]);
    const [tx] = await txOf('TX16-C');
    assert.deepEqual([tx.state, tx.ocppTransactionId, tx.meterStopWh, tx.stopReason, tx.flags], ['completed', '987654', 7000, 'Local', ['missing-start']]);
    await s.close();
  });

  test('a session started offline by a blocked token is kept, billed and flagged', async () => {
    const s = await station('TX16-D', '1.6');
    const start = await s.call('StartTransaction', { connectorId: 1, idTag: 'BLOCKED-TAG', meterStart: 100, timestamp: minutesAgo(90) });
    assert.equal(start[2].idTagInfo.status, 'Blocked');
    await s.call('StopTransaction', { transactionId: start[2].transactionId, meterStop: 5100, timestamp: minutesAgo(30) });
    const [tx] = await txOf('TX16-D');
    assert.deepEqual([tx.state, tx.offline, tx.energyWh, tx.flags], ['completed', true, 5000, ['invalid-token-offline']]);
    await s.close();
  });

  test('an unknown idTag is Invalid in 1.6 words', async () => {
    const s = await station('TX16-E', '1.6');
    assert.deepEqual((await s.call('Authorize', { idTag: 'NOBODY' }))[2], { idTagInfo: { status: 'Invalid' } });
    assert.deepEqual((await s.call('Authorize', { idTag: 'GOOD-TAG' }))[2], { idTagInfo: { status: 'Accepted' } });
    await s.close();
  });
});

describe('OCPP 2.0.1 transactions', () => {
  const event = (txId: string, eventType: string, seqNo: number, extra: Record<string, unknown> = {}) => ({
    eventType,
    timestamp: minutesAgo(10 - seqNo),
    triggerReason: eventType === 'Started' ? 'Authorized' : eventType === 'Ended' ? 'StopAuthorized' : 'MeterValuePeriodic',
    seqNo,
    transactionInfo: { transactionId: txId, ...(eventType === 'Ended' ? { stoppedReason: 'Local' } : {}) },
    ...(eventType === 'Started' ? { idToken: { idToken: 'GOOD-TAG', type: 'ISO14443' }, evse: { id: 1, connectorId: 1 } } : {}),
    meterValue: [{ timestamp: minutesAgo(10 - seqNo), sampledValue: [{ value: 1000 + seqNo * 1000, measurand: 'Energy.Active.Import.Register' }] }],
    ...extra,
  });
  const summary = (tx: any) => [tx.state, tx.evseId, tx.idToken, tx.meterStartWh, tx.meterStopWh, tx.energyWh, tx.stopReason, tx.flags];

  test('in order, reversed, duplicated: the same transaction', async () => {
    const s = await station('TX201-A', '2.0.1');
    const inOrder = randomUUID();
    const reversed = randomUUID();
    const frames = (id: string) => [event(id, 'Started', 0), event(id, 'Updated', 1), event(id, 'Updated', 2), event(id, 'Ended', 3)];
    for (const e of frames(inOrder)) await s.call('TransactionEvent', e);
    for (const e of frames(reversed).reverse()) assert.equal((await s.call('TransactionEvent', e))[0], 3);
    for (const e of frames(reversed)) await s.call('TransactionEvent', e);
    const items = await txOf('TX201-A');
    assert.equal(items.length, 2);
    const [a, b] = items.map(summary);
    assert.deepEqual(a, ['completed', 1, 'GOOD-TAG', 1000, 4000, 3000, 'Local', []]);
    assert.deepEqual(b, a);
    const dup = items.find((t: any) => t.ocppTransactionId === reversed);
    assert.equal((await detail(dup.id)).timeline.length, 4, 'duplicates are not recorded twice');
    await s.close();
  });

  test('a seqNo gap is flagged until the missing event arrives', async () => {
    const s = await station('TX201-B', '2.0.1');
    const id = randomUUID();
    await s.call('TransactionEvent', event(id, 'Started', 0));
    await s.call('TransactionEvent', event(id, 'Updated', 2));
    assert.deepEqual((await txOf('TX201-B'))[0].flags, ['seqno-gap']);
    await s.call('TransactionEvent', event(id, 'Updated', 1));
    assert.deepEqual((await txOf('TX201-B'))[0].flags, []);
    await s.close();
  });

  test('Ended before Started, and events for an unknown transaction, are kept', async () => {
    const s = await station('TX201-C', '2.0.1');
    const id = randomUUID();
    const ended = await s.call('TransactionEvent', event(id, 'Ended', 3));
    assert.deepEqual(ended[2], {}, 'answered at once');
    let [tx] = await txOf('TX201-C');
    assert.deepEqual([tx.state, tx.flags], ['completed', ['missing-start', 'seqno-gap']]);
    const started = await s.call('TransactionEvent', event(id, 'Started', 0));
    assert.deepEqual(started[2], { idTokenInfo: { status: 'Accepted' } });
    [tx] = await txOf('TX201-C');
    assert.equal(tx.state, 'completed', 'a late Started does not reopen it');
    assert.deepEqual([tx.meterStartWh, tx.energyWh], [1000, 3000]);
    assert.deepEqual(tx.flags, ['seqno-gap'], 'events 1 and 2 are still missing');
    await s.close();
  });

  test('offline events of an unknown token are kept and flagged', async () => {
    const s = await station('TX201-D', '2.0.1');
    const id = randomUUID();
    const started = await s.call('TransactionEvent', event(id, 'Started', 0, { offline: true, idToken: { idToken: 'STRANGER', type: 'ISO14443' } }));
    assert.deepEqual(started[2], { idTokenInfo: { status: 'Unknown' } });
    await s.call('TransactionEvent', event(id, 'Ended', 1, { offline: true }));
    const [tx] = await txOf('TX201-D');
    assert.deepEqual([tx.offline, tx.flags, tx.energyWh], [true, ['invalid-token-offline'], 1000]);
    await s.close();
  });
});
