/**
 * Charging sessions against a strict, independent CSMS (ocpp-rpc RPCServer, see sim-csms.ts):
 * full local sessions per version, remote start/stop, unlock, GetTransactionStatus, deauthorization.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCsms, station, trace, waitFor } from './sim-csms.ts';

test('1.6 session: Preparing, Authorize, StartTransaction (CSMS id), MeterValues, StopTransaction, Finishing, Available', async () => {
  const csms = await startCsms();
  csms.nextTxId = 4711;
  const s = station(csms, { id: 'S16', version: '1.6' });
  try {
    await s.start();
    await s.sessions.plugIn(1);
    assert.equal(s.getStatus(1), 'Preparing');
    assert.deepEqual(await s.sessions.authorize('TAG-1'), { status: 'Accepted' });
    const session = await s.sessions.startCharging(1, 'TAG-1', { meterStartWh: 1000 });
    assert.deepEqual(session.toJSON(), {
      evseId: 1, connectorId: 1, idToken: 'TAG-1', transactionId: '4711', meterWh: 1000, active: true, authorization: 'Accepted',
    });
    await s.sessions.meterTick(1, { powerW: 11_000, seconds: 60 });
    await s.sessions.meterTick(1, { powerW: 11_000, seconds: 60 });
    assert.equal(session.meterWh, 1367);
    await s.sessions.stopCharging(1);
    await s.sessions.unplug(1);
    assert.equal(session.active, false);

    assert.deepEqual(trace(csms.afterBoot('S16', 1)), [
      'Status 0 Available', 'Status 1 Available', 'Status 1 Preparing', 'Authorize', 'Start 1', 'Status 1 Charging',
      'MeterValues 4711', 'MeterValues 4711', 'Stop 4711 Local', 'Status 1 Finishing', 'Status 1 Available',
    ]);
    const [start] = csms.of('S16', 'StartTransaction').map((m) => m.params);
    assert.deepEqual({ ...start, timestamp: typeof start.timestamp }, { connectorId: 1, idTag: 'TAG-1', meterStart: 1000, timestamp: 'string' });
    const mv = csms.of('S16', 'MeterValues')[0]!.params;
    assert.equal(mv.connectorId, 1);
    assert.deepEqual(mv.meterValue[0].sampledValue, [
      { value: '1183', context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
      { value: '11000', context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'W' },
      { value: '15.9', context: 'Sample.Periodic', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
      { value: '15.9', context: 'Sample.Periodic', measurand: 'Current.Import', unit: 'A', phase: 'L2' },
      { value: '15.9', context: 'Sample.Periodic', measurand: 'Current.Import', unit: 'A', phase: 'L3' },
    ]);
    const stop = csms.of('S16', 'StopTransaction')[0]!.params;
    assert.equal(stop.meterStop, 1367);
    assert.equal(stop.idTag, 'TAG-1');
    assert.deepEqual(stop.transactionData.map((d: any) => [d.sampledValue[0].value, d.sampledValue[0].context]),
      [['1000', 'Transaction.Begin'], ['1367', 'Transaction.End']]);
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('2.0.1 and 2.1 sessions: Started at plug-in, Updated Authorized / MeterValuePeriodic, Ended, seqNo 0,1,2,..', async () => {
  const csms = await startCsms();
  const a = station(csms, { id: 'S201', version: '2.0.1', evses: 2, connectorsPerEvse: 2 });
  const b = station(csms, { id: 'S21', version: '2.1' });
  try {
    await Promise.all([a.start(), b.start()]);
    const plugged = await a.sessions.plugIn(2, 2, { meterStartWh: 500 });
    assert.ok(plugged && /^[0-9a-f-]{36}$/.test(plugged.transactionId!));
    const session = await a.sessions.startCharging(2, 'TOKEN-2', { type: 'ISO15693' });
    assert.equal(session, plugged, 'the token joins the transaction begun at plug-in');
    await a.sessions.meterTick(2, { powerW: 7_400, seconds: 3600 });
    await a.sessions.stopCharging(2, { reason: 'Local' });
    assert.equal(a.getStatus(2, 2), 'Occupied');
    await a.sessions.unplug(2, 2);
    assert.equal(a.getStatus(2, 2), 'Available');

    const events = csms.of('S201', 'TransactionEvent').map((m) => m.params);
    assert.deepEqual(trace(csms.afterBoot('S201', 1)).slice(4), [
      'Status 2/2 Occupied', 'TE Started 0 CablePluggedIn', 'TE Updated 1 Authorized', 'TE Updated 2 MeterValuePeriodic',
      'TE Ended 3 StopAuthorized', 'Status 2/2 Available',
    ]);
    assert.ok(events.every((e) => e.transactionInfo.transactionId === session.transactionId && e.offline === undefined));
    assert.deepEqual(events.map((e) => e.transactionInfo.chargingState), ['EVConnected', 'Charging', 'Charging', 'Idle']);
    assert.deepEqual(events[0].evse, { id: 2, connectorId: 2 });
    assert.deepEqual(events[0].meterValue[0].sampledValue[0],
      { value: 500, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } });
    assert.deepEqual(events[1].idToken, { idToken: 'TOKEN-2', type: 'ISO15693' });
    assert.deepEqual(events[2].meterValue[0].sampledValue.map((v: any) => [v.value, v.measurand, v.unitOfMeasure.unit, v.phase]), [
      [7900, 'Energy.Active.Import.Register', 'Wh', undefined], [7400, 'Power.Active.Import', 'W', undefined],
      [10.7, 'Current.Import', 'A', 'L1'], [10.7, 'Current.Import', 'A', 'L2'], [10.7, 'Current.Import', 'A', 'L3'],
    ]);
    assert.equal(events[3].transactionInfo.stoppedReason, 'Local');
    assert.equal(events[3].meterValue[0].sampledValue[0].context, 'Transaction.End');
    assert.deepEqual(events[3].idToken, { idToken: 'TOKEN-2', type: 'ISO15693' });
    assert.equal(session.authorization, 'Accepted');

    // 2.1 with TxStartPoint Authorized only: plug-in starts nothing, startCharging sends Started itself.
    assert.equal(b.settings.set('TxCtrlr/TxStartPoint', 'Authorized'), 'Accepted');
    assert.equal(await b.sessions.plugIn(1), undefined);
    const s21 = await b.sessions.startCharging(1, 'TOKEN-21', { meterIntervalSec: 0.05, powerW: 22_000 });
    await waitFor('automatic meter values', () => csms.of('S21', 'TransactionEvent').length >= 3);
    await b.sessions.stopCharging(1, { reason: 'EVDisconnected' });
    assert.equal(b.getStatus(1), 'Available');
    assert.equal(b.sessions.isPluggedIn(1), false);
    const ev21 = csms.of('S21', 'TransactionEvent').map((m) => m.params);
    assert.deepEqual(ev21.map((e) => e.seqNo), ev21.map((_e, i) => i));
    assert.equal(ev21[0].triggerReason, 'Authorized');
    assert.equal(ev21[0].transactionInfo.transactionId, s21.transactionId);
    assert.deepEqual([ev21.at(-1).triggerReason, ev21.at(-1).transactionInfo.stoppedReason], ['EVCommunicationLost', 'EVDisconnected']);
    assert.equal(ev21.at(-1).idToken, undefined);
    assert.deepEqual(csms.violations, []);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await csms.close();
  }
});

test('1.6 remote start/stop, AuthorizeRemoteTxRequests, UnlockConnector, StopTransactionOnInvalidId', async () => {
  const csms = await startCsms();
  const s = station(csms, { id: 'R16', version: '1.6', evses: 2 });
  try {
    await s.start();
    const client = csms.clients.get('R16');
    assert.deepEqual(await client.call('RemoteStartTransaction', { idTag: 'REMOTE-1' }), { status: 'Accepted' });
    await waitFor('remote session', () => s.sessions.get(1)?.transactionId !== undefined && s.getStatus(1) === 'Charging');
    assert.equal(csms.of('R16', 'Authorize').length, 0, 'AuthorizeRemoteTxRequests is false by default');
    assert.deepEqual(await client.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE-2' }), { status: 'Rejected' });
    assert.deepEqual(await client.call('RemoteStartTransaction', { connectorId: 3, idTag: 'REMOTE-2' }), { status: 'Rejected' });

    assert.deepEqual(await client.call('ChangeConfiguration', { key: 'AuthorizeRemoteTxRequests', value: 'true' }), { status: 'Accepted' });
    assert.deepEqual(await client.call('RemoteStartTransaction', { connectorId: 2, idTag: 'REMOTE-2' }), { status: 'Accepted' });
    await waitFor('second remote session', () => s.sessions.get(2)?.transactionId !== undefined);
    assert.deepEqual(trace(csms.of('R16')).filter((t) => /Authorize|Start/.test(t)), ['Start 1', 'Authorize', 'Start 2']);

    const id1 = Number(s.sessions.get(1)!.transactionId);
    assert.deepEqual(await client.call('RemoteStopTransaction', { transactionId: id1 }), { status: 'Accepted' });
    assert.deepEqual(await client.call('RemoteStopTransaction', { transactionId: 99_999 }), { status: 'Rejected' });
    await waitFor('remote stop', () => csms.of('R16', 'StopTransaction').length === 1);
    assert.deepEqual(csms.of('R16', 'StopTransaction')[0]!.params.reason, 'Remote');
    assert.equal(csms.of('R16', 'StopTransaction')[0]!.params.idTag, undefined);

    // Unlock with a running transaction: it is stopped first (UnlockCommand), then the connector is free.
    assert.deepEqual(await client.call('UnlockConnector', { connectorId: 2 }), { status: 'Unlocked' });
    await waitFor('unlock', () => s.getStatus(2) === 'Available');
    assert.equal(csms.of('R16', 'StopTransaction')[1]!.params.reason, 'UnlockCommand');
    assert.deepEqual(await client.call('UnlockConnector', { connectorId: 7 }), { status: 'NotSupported' });

    // The CSMS refuses the token in StartTransaction.conf: StopTransactionOnInvalidId ends it (DeAuthorized).
    csms.invalidTokens.add('STOLEN');
    await s.sessions.unplug(1);
    const bad = await s.sessions.startCharging(1, 'STOLEN');
    assert.equal(bad.active, false);
    assert.equal(bad.authorization, 'Invalid');
    assert.equal(csms.of('R16', 'StopTransaction').at(-1)!.params.reason, 'DeAuthorized');
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('2.0.1 RequestStart/StopTransaction, UnlockConnector, GetTransactionStatus', async () => {
  const csms = await startCsms();
  const s = station(csms, { id: 'R201', version: '2.0.1', evses: 2 });
  try {
    await s.start();
    const client = csms.clients.get('R201');
    const start = { idToken: { idToken: 'APP-USER', type: 'Central' }, remoteStartId: 77, evseId: 1 };
    assert.deepEqual(await client.call('RequestStartTransaction', start), { status: 'Accepted' });
    await waitFor('remote session', () => csms.of('R201', 'TransactionEvent').length === 1);
    assert.equal(csms.of('R201', 'Authorize').length, 1, 'AuthCtrlr.AuthorizeRemoteStart is true by default');
    const started = csms.of('R201', 'TransactionEvent')[0]!.params;
    assert.deepEqual([started.eventType, started.triggerReason, started.seqNo, started.transactionInfo.remoteStartId],
      ['Started', 'RemoteStart', 0, 77]);
    assert.deepEqual(started.idToken, { idToken: 'APP-USER', type: 'Central' });
    const txId: string = started.transactionInfo.transactionId;
    assert.deepEqual(await client.call('RequestStartTransaction', start), { status: 'Rejected' });
    assert.deepEqual(await client.call('GetTransactionStatus', { transactionId: txId }), { ongoingIndicator: true, messagesInQueue: false });
    assert.deepEqual(await client.call('UnlockConnector', { evseId: 1, connectorId: 1 }), { status: 'OngoingAuthorizedTransaction' });

    // EVSE 2: plugged in first, so RequestStartTransaction answers with the running transactionId (F02).
    const plugged = await s.sessions.plugIn(2);
    assert.deepEqual(await client.call('RequestStartTransaction', { idToken: { idToken: 'APP-2', type: 'Central' }, remoteStartId: 78 }),
      { status: 'Accepted', transactionId: plugged!.transactionId });
    await waitFor('token added', () => s.sessions.get(2)?.idToken === 'APP-2');
    const updated = csms.of('R201', 'TransactionEvent').at(-1)!.params;
    assert.deepEqual([updated.eventType, updated.triggerReason, updated.seqNo, updated.transactionInfo.remoteStartId], ['Updated', 'RemoteStart', 1, 78]);

    assert.deepEqual(await client.call('RequestStopTransaction', { transactionId: txId }), { status: 'Accepted' });
    assert.deepEqual(await client.call('RequestStopTransaction', { transactionId: 'no-such-tx' }), { status: 'Rejected' });
    await waitFor('remote stop', () => csms.of('R201', 'TransactionEvent').some((m) => m.params.eventType === 'Ended'));
    const ended = csms.of('R201', 'TransactionEvent').find((m) => m.params.eventType === 'Ended')!.params;
    assert.deepEqual([ended.triggerReason, ended.transactionInfo.stoppedReason, ended.seqNo], ['RemoteStop', 'Remote', 1]);
    assert.deepEqual(await client.call('GetTransactionStatus', { transactionId: txId }), { ongoingIndicator: false, messagesInQueue: false });
    assert.deepEqual(await client.call('GetTransactionStatus', {}), { messagesInQueue: false });
    assert.deepEqual(await client.call('UnlockConnector', { evseId: 1, connectorId: 1 }), { status: 'Unlocked' });
    await waitFor('unlocked', () => s.getStatus(1) === 'Available');
    assert.deepEqual(await client.call('UnlockConnector', { evseId: 9, connectorId: 1 }), { status: 'UnknownConnector' });
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});
