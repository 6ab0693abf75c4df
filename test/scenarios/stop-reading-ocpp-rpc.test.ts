/**
 * Issue 11 over real sockets with ocpp-rpc (strict mode): a station's own
 * stop reading is kept. A 1.6 integer stop a rounding below a decimal sample
 * is a normal stop; a stop truly below the start is flagged for review with
 * both readings kept, and is never closed again as stuck. The stuck sweep is
 * run after each stop, so a session it would touch is touched before the
 * assertions.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { cases, startStuckServer, transactions } from './stuck-support.ts';

let server: TestServer;
before(async () => {
  server = await startStuckServer(['PREC-TAG']);
});
after(() => server.stop());

const client = (id: string, protocol: string) => strictRpcClient(server.ocppUrl, id, protocol);

const now = () => new Date().toISOString();
const register16 = (value: string, unit: string) => [{ timestamp: now(), sampledValue: [{ value, unit, measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic' }] }];

/** Two sweeps: one would open a case, the next would carry out its ladder. */
async function sweptTransaction(stationId: string) {
  await server.app.stuck.sweep();
  await server.app.stuck.sweep();
  const [tx] = await transactions(server, stationId);
  return { tx, cases: await cases(server, stationId) };
}

async function session16(stationId: string, sample: { value: string; unit: string }, meterStop: number) {
  const c = await client(stationId, 'ocpp1.6');
  try {
    const start: any = await c.call('StartTransaction', { connectorId: 1, idTag: 'PREC-TAG', meterStart: 3700, timestamp: now() });
    await c.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: register16(sample.value, sample.unit) });
    await c.call('StopTransaction', { transactionId: start.transactionId, meterStop, timestamp: now(), reason: 'Local' });
    await c.call('StatusNotification', { connectorId: 1, status: 'Finishing', errorCode: 'NoError' });
  } finally {
    await c.close();
  }
  return sweptTransaction(stationId);
}

const mWhExact = (wh: number) => Number(wh.toFixed(3)) === wh;

test('1.6: an integer stop (4200) below a decimal last sample (4200.7 Wh) completes normally with the station\'s reading', async () => {
  const { tx, cases: found } = await session16('PREC-16-DEC', { value: '4200.7', unit: 'Wh' }, 4200);
  assert.deepEqual([tx.state, tx.stopReason, tx.flags, tx.meterStopWh, tx.energyWh, tx.highestMeterWh], ['completed', 'Local', [], 4200, 500, 4200.7]);
  assert.deepEqual(found, [], 'not stuck');
});

test('1.6: a register in kWh with three decimals (4.201) and a truncated integer stop (4200): no flag', async () => {
  const { tx, cases: found } = await session16('PREC-16-KWH', { value: '4.201', unit: 'kWh' }, 4200);
  assert.deepEqual([tx.flags, tx.meterStopWh, tx.energyWh], [[], 4200, 500]);
  assert.deepEqual(found, []);
});

test('1.6: a stop truly below the start is flagged for review, keeps both readings, and is not stuck', async () => {
  const { tx, cases: found } = await session16('PREC-16-RESET', { value: '4200.7', unit: 'Wh' }, 12);
  assert.deepEqual([tx.state, tx.stopReason, tx.flags], ['completed', 'Local', ['meter-went-backwards']]);
  assert.deepEqual([tx.meterStartWh, tx.meterStopWh, tx.highestMeterWh, tx.energyWh], [3700, 12, 4200.7, null]);
  assert.deepEqual(found, [], 'no stuck case: the session ended');
  const review = (await server.api('GET', '/api/v1/transactions?flag=meter-went-backwards')).body.items.map((t: any) => t.stationId);
  assert.ok(review.includes('PREC-16-RESET') && !review.includes('PREC-16-DEC'), `review list: ${review}`);
});

test('2.0.1: Ended with a kWh reading a rounding below the last Updated one behaves the same; below the start is flagged, not stuck', async () => {
  const c = await client('PREC-201', 'ocpp2.0.1');
  const energy = (kwh: number, context: string) => [{ timestamp: now(), sampledValue: [{ value: kwh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } }] }];
  const session = async (endKwh: number) => {
    const id = randomUUID();
    const event = (eventType: string, seqNo: number, kwh: number, context: string, extra: Record<string, unknown> = {}) =>
      c.call('TransactionEvent', { eventType, timestamp: now(), triggerReason: 'MeterValuePeriodic', seqNo, evse: { id: 1, connectorId: 1 }, transactionInfo: { transactionId: id, ...extra }, meterValue: energy(kwh, context) });
    await event('Started', 0, 3.7, 'Transaction.Begin');
    await event('Updated', 1, 4.2007, 'Sample.Periodic');
    await event('Ended', 2, endKwh, 'Transaction.End', { stoppedReason: 'Local' });
    return id;
  };
  try {
    const rounded = await session(4.2);
    const reset = await session(0.012);
    await server.app.stuck.sweep();
    await server.app.stuck.sweep();
    const items = await transactions(server, 'PREC-201');
    const byId = (id: string) => items.find((t: any) => t.ocppTransactionId === id);
    assert.deepEqual([byId(rounded).state, byId(rounded).flags, byId(rounded).meterStopWh, byId(rounded).energyWh], ['completed', [], 4200, 500]);
    assert.deepEqual([byId(reset).flags, byId(reset).meterStartWh, byId(reset).meterStopWh, byId(reset).highestMeterWh], [['meter-went-backwards'], 3700, 12, 4200.7]);
    assert.deepEqual(await cases(server, 'PREC-201'), []);
    for (const t of items) for (const field of ['meterStartWh', 'meterStopWh', 'highestMeterWh', 'energyWh']) if (t[field] !== null) assert.ok(mWhExact(t[field]), `${field} ${t[field]} is exact`);
  } finally {
    await c.close();
  }
});
