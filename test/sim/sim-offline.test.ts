/**
 * Offline behaviour against a strict, independent CSMS (ocpp-rpc RPCServer, see sim-csms.ts): transaction
 * messages queue while offline and replay in order (1.6 with the CSMS-assigned transactionId rewritten in,
 * 2.x with offline=true and consecutive seqNo); statuses are dropped; raw reordered/duplicated replays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCsms, station, trace, waitFor } from './sim-csms.ts';

test('1.6 offline: queued Start/MeterValues/Stop are replayed in order with the CSMS-assigned transactionId', async () => {
  const csms = await startCsms();
  csms.nextTxId = 500;
  const s = station(csms, { id: 'OFF16', version: '1.6', evses: 2 });
  try {
    await s.start();
    const online = await s.sessions.startCharging(2, 'ONLINE-TAG'); // numbered 500 before the outage
    await s.sessions.goOffline();
    await waitFor('CSMS sees the socket go', () => csms.clients.get('OFF16')?.state !== 1);
    assert.equal(s.sessions.offline, true);
    assert.equal(s.connected, false);

    await s.sessions.plugIn(1);
    assert.deepEqual(await s.sessions.authorize('OFFLINE-TAG'), { status: 'Accepted', offline: true });
    const offline = await s.sessions.startCharging(1, 'OFFLINE-TAG', { meterStartWh: 20_000 });
    assert.equal(offline.transactionId, undefined, 'no CSMS id yet');
    assert.equal(offline.startedOffline, true);
    await s.sessions.meterTick(1, { powerW: 3600, seconds: 1000 });
    await s.sessions.meterTick(2, { powerW: 3600, seconds: 1000 });
    await s.sessions.meterTick(1, { powerW: 3600, seconds: 1000 });
    await s.sessions.stopCharging(1);
    await s.sessions.stopCharging(2, { reason: 'EVDisconnected' });
    await s.heartbeat().catch(() => undefined);
    assert.equal(s.sessions.queuedMessages, 6);
    assert.deepEqual(s.sessions.queued().map((m) => [m.action, m.payload.transactionId]), [
      ['StartTransaction', undefined], ['MeterValues', undefined], ['MeterValues', 500], ['MeterValues', undefined],
      ['StopTransaction', undefined], ['StopTransaction', 500],
    ]);
    assert.equal(s.getStatus(1), 'Finishing', 'statuses are recorded while offline...');
    const before = csms.of('OFF16').length;

    csms.nextTxId = 4242;
    await s.sessions.goOnline();
    assert.equal(s.sessions.queuedMessages, 0);
    assert.equal(offline.transactionId, '4242');
    assert.equal(csms.of('OFF16').length > before, true);
    assert.deepEqual(trace(csms.afterBoot('OFF16', 2)), [
      // ...and only the current ones are reported after the new boot, then the queue in order.
      'Status 0 Available', 'Status 1 Finishing', 'Status 2 Available',
      'Start 1', 'MeterValues 4242', 'MeterValues 500', 'MeterValues 4242', 'Stop 4242 Local', 'Stop 500 EVDisconnected',
    ]);
    const stop = csms.of('OFF16', 'StopTransaction')[0]!.params;
    assert.deepEqual([stop.meterStop, stop.idTag], [22_000, 'OFFLINE-TAG']);
    assert.equal(online.transactionId, '500');
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('2.0.1 offline: events carry offline=true and consecutive seqNo; GetTransactionStatus sees the queue', async () => {
  const csms = await startCsms();
  const s = station(csms, { id: 'OFF201', version: '2.0.1', evses: 2 });
  try {
    await s.start();
    const a = await s.sessions.plugIn(1); // Started online (seqNo 0)
    await s.sessions.goOffline();
    await s.sessions.startCharging(1, 'CARD-A'); // 1
    const b = await s.sessions.plugIn(2); // a transaction begun entirely offline: Started (seqNo 0)
    await s.sessions.startCharging(2, 'CARD-B');
    await s.sessions.meterTick(1, { powerW: 11_000, seconds: 600 }); // 2
    await s.sessions.stopCharging(1); // 3
    await s.sessions.unplug(1);
    assert.equal(s.sessions.queuedMessages, 5);

    await s.sessions.goOnline({ replay: false });
    const client = csms.clients.get('OFF201');
    assert.deepEqual(await client.call('GetTransactionStatus', { transactionId: a!.transactionId }), { ongoingIndicator: false, messagesInQueue: true });
    assert.deepEqual(await client.call('GetTransactionStatus', { transactionId: b!.transactionId }), { ongoingIndicator: true, messagesInQueue: true });
    assert.deepEqual(await client.call('GetTransactionStatus', {}), { messagesInQueue: true });
    assert.equal(csms.of('OFF201', 'TransactionEvent').length, 1, 'held until replayQueue()');
    await s.sessions.replayQueue();
    assert.deepEqual(await client.call('GetTransactionStatus', {}), { messagesInQueue: false });

    const events = csms.of('OFF201', 'TransactionEvent').map((m) => m.params);
    const of = (id: string | undefined) => events.filter((e) => e.transactionInfo.transactionId === id);
    assert.deepEqual(trace(csms.of('OFF201', 'TransactionEvent')).filter((_t, i) => events[i].transactionInfo.transactionId === a!.transactionId), [
      'TE Started 0 CablePluggedIn', 'TE Updated 1 Authorized offline', 'TE Updated 2 MeterValuePeriodic offline', 'TE Ended 3 StopAuthorized offline',
    ]);
    assert.deepEqual(of(b!.transactionId).map((e) => [e.eventType, e.seqNo, e.offline]), [['Started', 0, true], ['Updated', 1, true]]);
    assert.deepEqual(of(b!.transactionId)[0].evse, { id: 2, connectorId: 1 });
    // The replay kept creation order across both transactions.
    assert.deepEqual(events.slice(1).map((e) => `${e.transactionInfo.transactionId === a!.transactionId ? 'A' : 'B'}${e.seqNo}`),
      ['A1', 'B0', 'B1', 'A2', 'A3']);
    // No StatusNotification was sent while offline: after the second boot only the current statuses.
    assert.deepEqual(trace(csms.afterBoot('OFF201', 2)).filter((t) => t.startsWith('Status')), ['Status 1/1 Available', 'Status 2/1 Occupied']);
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('replayQueue: duplicated 2.x events and reversed 1.6 messages (still after their StartTransaction)', async () => {
  const csms = await startCsms();
  csms.nextTxId = 900;
  const a = station(csms, { id: 'DUP201', version: '2.0.1' });
  const b = station(csms, { id: 'REV16', version: '1.6' });
  try {
    await Promise.all([a.start(), b.start()]);
    for (const s of [a, b]) {
      await s.sessions.goOffline();
      await s.sessions.startCharging(1, 'TAG-X');
      await s.sessions.meterTick(1, { powerW: 1000, seconds: 36 });
      await s.sessions.meterTick(1, { powerW: 1000, seconds: 36 });
      await s.sessions.stopCharging(1);
      await s.sessions.goOnline({ replay: false });
    }
    await a.sessions.replayQueue({ order: 'duplicated' });
    assert.deepEqual(csms.of('DUP201', 'TransactionEvent').map((m) => m.params.seqNo), [0, 0, 1, 1, 2, 2, 3, 3]);
    assert.ok(csms.of('DUP201', 'TransactionEvent').every((m) => m.params.offline === true));

    assert.deepEqual(b.sessions.queued().map((m) => m.action), ['StartTransaction', 'MeterValues', 'MeterValues', 'StopTransaction']);
    await b.sessions.replayQueue({ order: 'reversed' });
    const sent = csms.of('REV16').filter((m) => /Transaction|MeterValues/.test(m.method));
    assert.deepEqual(sent.map((m) => [m.method, m.params.transactionId]),
      [['StartTransaction', undefined], ['StopTransaction', 900], ['MeterValues', 900], ['MeterValues', 900]]);
    assert.deepEqual(sent.slice(2).map((m) => m.params.meterValue[0].sampledValue[0].value), ['20', '10'], 'newest first');
    assert.equal(b.sessions.queuedMessages, 0);
    assert.deepEqual(csms.violations, []);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await csms.close();
  }
});

test('offline rules: unknown ids refused when the settings say so; a replayed Invalid start is stopped; lost link queues', async () => {
  const csms = await startCsms();
  const s16 = station(csms, { id: 'RULE16', version: '1.6' });
  const s201 = station(csms, { id: 'RULE201', version: '2.0.1' });
  try {
    await Promise.all([s16.start(), s201.start()]);
    await s16.sessions.goOffline();
    await s201.sessions.goOffline();
    assert.equal(s16.settings.set('AllowOfflineTxForUnknownId', 'false'), 'Accepted');
    assert.equal(s201.settings.set('AuthCtrlr/OfflineTxForUnknownIdEnabled', 'false'), 'Accepted');
    assert.deepEqual(await s16.sessions.authorize('WHO'), { status: 'Invalid', offline: true });
    assert.deepEqual(await s201.sessions.authorize('WHO'), { status: 'Unknown', offline: true });
    await assert.rejects(s16.sessions.startCharging(1, 'WHO'), (err: any) => err.code === 'NotAuthorized');
    await assert.rejects(s201.sessions.startCharging(1, 'WHO', { connectorId: 1 }), (err: any) => err.code === 'NotAuthorized');

    // 1.6 §3.4: an offline-started session whose token the CSMS refuses on replay is stopped (DeAuthorized).
    s16.settings.set('AllowOfflineTxForUnknownId', 'true');
    csms.invalidTokens.add('STOLEN');
    const stolen = await s16.sessions.startCharging(1, 'STOLEN');
    await s16.sessions.goOnline();
    await waitFor('deauthorized stop', () => csms.of('RULE16', 'StopTransaction').length === 1);
    assert.equal(csms.of('RULE16', 'StopTransaction')[0]!.params.reason, 'DeAuthorized');
    assert.equal(stolen.active, false);

    // A connection lost by accident (not goOffline): events made meanwhile queue and follow the next boot.
    await s201.sessions.goOnline();
    await s201.sessions.startCharging(1, 'CARD');
    await s201.dropConnection();
    await s201.sessions.meterTick(1, { powerW: 1000, seconds: 60 });
    await waitFor('re-boot and replay', () => csms.of('RULE201', 'TransactionEvent').length === 2, 3000);
    const last = csms.of('RULE201', 'TransactionEvent')[1]!.params;
    assert.deepEqual([last.seqNo, last.offline, last.triggerReason], [1, true, 'MeterValuePeriodic']);
    assert.deepEqual(csms.violations, []);
  } finally {
    await Promise.all([s16.stop(), s201.stop()]);
    await csms.close();
  }
});
