/**
 * The key stuck scenario (the stop never arrives, the connector is free)
 * driven by ocpp-rpc in strict mode: an independent client that validates
 * every CALL the CSMS sends (GetTransactionStatus, TriggerMessage,
 * RemoteStopTransaction) against the official schemas.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { finishedCase, startStuckServer, trail, transactions } from './stuck-support.ts';

let server: TestServer;
before(async () => {
  server = await startStuckServer(['RPC-STUCK']);
});
after(() => server.stop());

const client = (id: string, protocol: string) => strictRpcClient(server.ocppUrl, id, protocol);
const now = () => new Date().toISOString();

test('2.0.1 (ocpp-rpc): Started, then Available without Ended: GetTransactionStatus says not ongoing, the backend closes it', async () => {
  const c = await client('RPC-STUCK-201', 'ocpp2.0.1');
  const asked: unknown[] = [];
  c.handle('GetTransactionStatus', async ({ params }: any) => {
    asked.push(params);
    return { ongoingIndicator: false, messagesInQueue: false };
  });
  await c.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
  const transactionId = randomUUID();
  await c.call('TransactionEvent', {
    eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0, idToken: { idToken: 'RPC-STUCK', type: 'ISO14443' },
    evse: { id: 1, connectorId: 1 }, transactionInfo: { transactionId, chargingState: 'Charging' },
    meterValue: [{ timestamp: now(), sampledValue: [{ value: 4000, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register' }] }],
  });
  await c.call('TransactionEvent', {
    eventType: 'Updated', timestamp: now(), triggerReason: 'MeterValuePeriodic', seqNo: 1, transactionInfo: { transactionId },
    meterValue: [{ timestamp: now(), sampledValue: [{ value: 5200, context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register' }] }],
  });
  await c.call('StatusNotification', { timestamp: now(), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
  const stuck = await finishedCase(server, 'RPC-STUCK-201');
  assert.deepEqual([stuck.status, stuck.reasons.includes('connector-free')], ['closed-by-backend', true]);
  assert.deepEqual(trail(stuck), ['ask:station-says-ended', 'stop:skipped', 'unlock:skipped', 'reset-soft:skipped', 'reset-hard:skipped', 'close:closed']);
  assert.deepEqual(asked, [{ transactionId }]);
  const [tx] = await transactions(server, 'RPC-STUCK-201');
  assert.deepEqual([tx.state, tx.energyWh, tx.stopReason, tx.flags], ['completed', 1200, 'stuck', ['stuck', 'estimated']]);
  // The real Ended arrives late: the same record is corrected.
  await c.call('TransactionEvent', {
    eventType: 'Ended', timestamp: now(), triggerReason: 'EVCommunicationLost', seqNo: 2, offline: true,
    transactionInfo: { transactionId, stoppedReason: 'EVDisconnected' },
    meterValue: [{ timestamp: now(), sampledValue: [{ value: 5300, context: 'Transaction.End', measurand: 'Energy.Active.Import.Register' }] }],
  });
  const items = await transactions(server, 'RPC-STUCK-201');
  assert.equal(items.length, 1);
  assert.deepEqual([items[0].energyWh, items[0].stopReason, items[0].flags], [1300, 'EVDisconnected', ['stuck']]);
  await c.close();
});

test('1.6 (ocpp-rpc): StartTransaction, then Available without StopTransaction: trigger, stop (rejected), backend close', async () => {
  const c = await client('RPC-STUCK-16', 'ocpp1.6');
  const calls: string[] = [];
  c.handle('TriggerMessage', async ({ params }: any) => {
    calls.push(`TriggerMessage:${params.requestedMessage}:${params.connectorId}`);
    setTimeout(() => void c.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() }), 20);
    return { status: 'Accepted' };
  });
  c.handle('RemoteStopTransaction', async ({ params }: any) => {
    calls.push(`RemoteStopTransaction:${params.transactionId}`);
    return { status: 'Rejected' };
  });
  await c.call('BootNotification', { chargePointModel: 'M', chargePointVendor: 'V' });
  const start: any = await c.call('StartTransaction', { connectorId: 1, idTag: 'RPC-STUCK', meterStart: 1000, timestamp: now() });
  await c.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: now() });
  await c.call('MeterValues', {
    connectorId: 1, transactionId: start.transactionId,
    meterValue: [{ timestamp: now(), sampledValue: [{ value: '1800', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
  });
  await c.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
  const stuck = await finishedCase(server, 'RPC-STUCK-16');
  assert.equal(stuck.status, 'closed-by-backend');
  assert.deepEqual(trail(stuck), ['ask:connector-freed', 'stop:rejected', 'unlock:skipped', 'reset-soft:skipped', 'reset-hard:skipped', 'close:closed']);
  assert.deepEqual(calls, ['TriggerMessage:StatusNotification:1', `RemoteStopTransaction:${start.transactionId}`]);
  const [tx] = await transactions(server, 'RPC-STUCK-16');
  assert.deepEqual([tx.state, tx.energyWh, tx.flags], ['completed', 800, ['stuck', 'estimated']]);
  await c.close();
});
