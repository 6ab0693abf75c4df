/**
 * CSMS -> station calls through the cluster port: one outstanding CALL per
 * station with the rest queued in order, response validation, CALLERROR and
 * timeouts; and the WebSocket keep-alive that drops a silent peer.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { openRaw } from '../support/raw-client.ts';

describe('outgoing calls', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 0.5, pingIntervalSec: 1 } as any });
  });
  after(() => server.stop());

  test('calls wait behind the outstanding one and are answered in order', async () => {
    const station = await openRaw(`${server.ocppUrl}/OUT-1`, 'ocpp1.6');
    await eventually(() => server.app.cluster.locate('OUT-1'), 'station registered with the cluster');
    // Settle each call into a value at once, so a rejection is never "unhandled" while we wait.
    const results = [1, 2, 3].map((n) =>
      server.app.cluster.call('OUT-1', 'GetConfiguration', { key: [`K${n}`] }).then(
        (value) => ({ value }),
        (error: any) => ({ error: error.code as string }),
      ),
    );
    const first = await station.next();
    assert.equal(first[0], 2);
    assert.equal(first[2], 'GetConfiguration');
    await assert.rejects(station.next(200), /no frame/, 'no second CALL while the first is unanswered');
    station.sendText(JSON.stringify([3, first[1], { configurationKey: [{ key: 'K1', readonly: true, value: '1' }] }]));
    const second = await station.next();
    assert.deepEqual(second[3], { key: ['K2'] });
    station.sendText(JSON.stringify([4, second[1], 'NotSupported', 'no', {}]));
    const third = await station.next();
    station.sendText(JSON.stringify([3, third[1], { unknownKey: ['K3'] }]));
    assert.deepEqual(await Promise.all(results), [
      { value: { configurationKey: [{ key: 'K1', readonly: true, value: '1' }] } },
      { error: 'NotSupported' },
      { value: { unknownKey: ['K3'] } },
    ]);
    await station.close();
  });

  test('an unanswered call times out and the queue moves on; invalid answers are refused', async () => {
    const station = await openRaw(`${server.ocppUrl}/OUT-2`, 'ocpp2.0.1');
    await eventually(() => server.app.cluster.locate('OUT-2'), 'station registered');
    const timedOut = assert.rejects(server.app.cluster.call('OUT-2', 'ClearCache', {}), (e: any) => e.code === 'Timeout');
    const next = assert.rejects(server.app.cluster.call('OUT-2', 'ClearCache', {}), (e: any) => e.code === 'PropertyConstraintViolation');
    await station.next();
    await timedOut;
    const second = await station.next();
    station.sendText(JSON.stringify([3, second[1], { status: 'Maybe' }]));
    await next;
    await assert.rejects(server.app.cluster.call('OUT-2', 'ClearCache', { extra: 1 }), (e: any) => e.code === 'InvalidRequest');
    await station.close();
  });

  test('OCPP 2.1: an invalid CALLRESULT is answered with CALLRESULTERROR', async () => {
    const station = await openRaw(`${server.ocppUrl}/OUT-3`, 'ocpp2.1');
    await eventually(() => server.app.cluster.locate('OUT-3'), 'station registered');
    const result = assert.rejects(server.app.cluster.call('OUT-3', 'ClearCache', {}), (e: any) => e.code === 'OccurrenceConstraintViolation');
    const call = await station.next();
    station.sendText(JSON.stringify([3, call[1], {}]));
    await result;
    const answer = await station.next();
    assert.deepEqual(answer.slice(0, 3), [5, call[1], 'OccurrenceConstraintViolation']);
    await station.close();
  });

  test('calls to an offline station fail at once; pending calls fail when the socket closes', async () => {
    await assert.rejects(server.app.cluster.call('NOBODY', 'ClearCache', {}), (e: any) => e.code === 'StationOffline');
    const station = await openRaw(`${server.ocppUrl}/OUT-4`, 'ocpp1.6');
    await eventually(() => server.app.cluster.locate('OUT-4'), 'station registered');
    const pending = assert.rejects(server.app.cluster.call('OUT-4', 'ClearCache', {}, { timeoutMs: 10_000 }), (e: any) => e.code === 'StationOffline');
    await station.next();
    await station.close();
    await pending;
  });

  test('a peer that stops answering pings is disconnected', async () => {
    const silent = new WebSocket(`${server.ocppUrl}/OUT-5`, 'ocpp1.6', { autoPong: false });
    const closed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    await new Promise((resolve) => silent.on('open', resolve));
    assert.equal(await closed, 1006, 'terminated without a closing handshake');
    await eventually(async () => (await server.api('GET', '/api/v1/stations/OUT-5')).body.connected === false, 'station shown offline');
    const polite = await openRaw(`${server.ocppUrl}/OUT-6`, 'ocpp1.6');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(polite.ws.readyState, WebSocket.OPEN, 'a peer that answers pings stays connected');
    await polite.close();
  });
});
