/**
 * Key transaction scenarios driven by ocpp-rpc in strict mode: an
 * independent OCPP-J client that validates every answer we send against the
 * official schemas.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.api('POST', '/api/v1/tokens', { idToken: 'RPC-TAG', groupId: 'RPC-GROUP' });
  await server.api('POST', '/api/v1/tokens', { idToken: 'RPC-GROUP', type: 'Central' });
});
after(() => server.stop());

const client = (id: string, protocol: string) => strictRpcClient(server.ocppUrl, id, protocol);
const transactions = async (stationId: string) => (await server.api('GET', `/api/v1/transactions?stationId=${stationId}`)).body.items;

test('1.6: authorize, start, meter values, stop, and a stop for an unknown transaction', async () => {
  const c = await client('RPC-TX-16', 'ocpp1.6');
  const now = () => new Date().toISOString();
  assert.deepEqual(await c.call('Authorize', { idTag: 'RPC-TAG' }), { idTagInfo: { status: 'Accepted', parentIdTag: 'RPC-GROUP' } });
  const start: any = await c.call('StartTransaction', { connectorId: 1, idTag: 'RPC-TAG', meterStart: 2000, timestamp: now() });
  await c.call('MeterValues', {
    connectorId: 1,
    transactionId: start.transactionId,
    meterValue: [{ timestamp: now(), sampledValue: [{ value: '2500', measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' }, { value: '16.1', measurand: 'Current.Import', phase: 'L1', unit: 'A' }] }],
  });
  assert.deepEqual(await c.call('StopTransaction', { transactionId: start.transactionId, meterStop: 3000, timestamp: now(), idTag: 'RPC-TAG', reason: 'Local' }), {
    idTagInfo: { status: 'Accepted' },
  });
  assert.deepEqual(await c.call('StopTransaction', { transactionId: 424242, meterStop: 10, timestamp: now() }), {});
  const items = await transactions('RPC-TX-16');
  const done = items.find((t: any) => t.ocppTransactionId === String(start.transactionId));
  assert.deepEqual([done.state, done.energyWh, done.flags], ['completed', 1000, []]);
  assert.deepEqual(items.find((t: any) => t.ocppTransactionId === '424242').flags, ['missing-start']);
  const series = (await server.api('GET', `/api/v1/transactions/${done.id}/meter-values`)).body.items;
  assert.deepEqual(series.map((s: any) => [s.measurand, s.phase, s.value]), [['Energy.Active.Import.Register', null, 2500], ['Current.Import', 'L1', 16.1]]);
  await c.close();
});

test('2.0.1: TransactionEvent Started / Updated / Ended and Authorize', async () => {
  const c = await client('RPC-TX-201', 'ocpp2.0.1');
  const id = randomUUID();
  const now = () => new Date().toISOString();
  const idToken = { idToken: 'RPC-TAG', type: 'ISO14443' };
  const auth: any = await c.call('Authorize', { idToken });
  assert.equal(auth.idTokenInfo.status, 'Accepted');
  const energy = (wh: number, context: string) => [{ timestamp: now(), sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh', multiplier: 0 } }] }];
  const started: any = await c.call('TransactionEvent', {
    eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0, idToken, evse: { id: 1, connectorId: 1 },
    transactionInfo: { transactionId: id, chargingState: 'Charging' }, meterValue: energy(1.5, 'Transaction.Begin'),
  });
  assert.equal(started.idTokenInfo.status, 'Accepted');
  assert.deepEqual(await c.call('TransactionEvent', { eventType: 'Updated', timestamp: now(), triggerReason: 'MeterValuePeriodic', seqNo: 1, transactionInfo: { transactionId: id }, meterValue: energy(2, 'Sample.Periodic') }), {});
  await c.call('TransactionEvent', { eventType: 'Ended', timestamp: now(), triggerReason: 'EVCommunicationLost', seqNo: 2, transactionInfo: { transactionId: id, stoppedReason: 'EVDisconnected', chargingState: 'Idle' }, meterValue: energy(2.25, 'Transaction.End') });
  const [tx] = await transactions('RPC-TX-201');
  assert.deepEqual([tx.ocppTransactionId, tx.state, tx.meterStartWh, tx.meterStopWh, tx.energyWh, tx.stopReason, tx.chargingState], [id, 'completed', 1500, 2250, 750, 'EVDisconnected', 'Idle']);
  await c.close();
});
