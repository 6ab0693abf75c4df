/**
 * The durable queue over real sockets: offline stations, expiry, refusals,
 * CALLERRORs, timeouts, ?wait= and delivery order.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { commandById, finalCommand, recordingStation, sleep, startRecording, submit } from './command-support.ts';

describe('command queue', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 0.5 }, commands: { sweepIntervalSec: 0.2, maxWaitSec: 1 } } as any);
  });
  after(() => server.stop());

  test('a command for an offline station waits and is delivered, in order, when it connects', async () => {
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'Q-OFF' })).status, 201);
    const first = await submit(server, 'Q-OFF', { type: 'getConfiguration', keys: ['HeartbeatInterval'] });
    const second = await submit(server, 'Q-OFF', { type: 'clearCache' });
    assert.deepEqual([first.status, first.body.state, first.body.sentAt, first.body.attempts], [202, 'queued', null, 0]);
    await sleep(300);
    assert.equal((await commandById(server, first.body.id)).state, 'queued', 'still waiting while the station is away');

    const rec = recordingStation(server, 'Q-OFF', '1.6');
    await rec.station.start();
    try {
      const done = [await finalCommand(server, first.body.id), await finalCommand(server, second.body.id)];
      assert.deepEqual(done.map((c) => c.state), ['accepted', 'accepted']);
      assert.deepEqual(done[0].response.configuration.map((k: any) => k.key), ['HeartbeatInterval']);
      assert.ok(done[0].sentAt <= done[1].sentAt);
      assert.deepEqual(
        rec.calls.map((c) => c.action),
        ['GetConfiguration', 'ClearCache'],
      );
    } finally {
      await rec.stop();
    }
  });

  test('a command that expires before the station returns is expired and never sent', async () => {
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'Q-EXP' })).status, 201);
    const res = await submit(server, 'Q-EXP', { type: 'reset', mode: 'soft', expiresInSec: 1 });
    assert.equal(res.status, 202);
    assert.equal(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt), 1000);
    const expired = await finalCommand(server, res.body.id, 4000);
    assert.deepEqual([expired.state, expired.sentAt, expired.answeredAt, expired.attempts, expired.response], ['expired', null, null, 0, null]);
    const rec = await startRecording(server, 'Q-EXP', '1.6');
    try {
      await sleep(400);
      assert.ok(!rec.calls.some((c) => c.action === 'Reset'), 'an expired command is never sent');
    } finally {
      await rec.stop();
    }
  });

  test('a refusal is stored with the station\'s answer', async () => {
    const rec = await startRecording(server, 'Q-REJ', '2.0.1');
    rec.station.handle('RequestStartTransaction', () => ({ status: 'Rejected', statusInfo: { reasonCode: 'NoCable', additionalInfo: 'plug in first' } }));
    try {
      const res = await submit(server, 'Q-REJ', { type: 'start', idToken: 'T-1' }, 5);
      assert.deepEqual([res.status, res.body.state, res.body.error], [200, 'rejected', null]);
      assert.deepEqual(res.body.response, { status: 'Rejected', reason: { code: 'NoCable', info: 'plug in first' } });
      assert.ok(Number.isInteger(res.body.params.remoteStartId), 'a remoteStartId was generated and kept');
    } finally {
      await rec.stop();
    }
  });

  test('a CALLERROR fails the command with its code', async () => {
    const rec = await startRecording(server, 'Q-ERR', '1.6');
    rec.station.handle('UnlockConnector', () => {
      throw Object.assign(new Error('this connector has no lock'), { code: 'NotSupported' });
    });
    try {
      const res = await submit(server, 'Q-ERR', { type: 'unlock', evseId: 1 }, 5);
      assert.deepEqual([res.status, res.body.state, res.body.response, res.body.attempts], [200, 'failed', null, 1]);
      assert.match(res.body.error, /^NotSupported: this connector has no lock/);
    } finally {
      await rec.stop();
    }
  });

  test('a station that never answers fails the command after the call timeout', async () => {
    const rec = await startRecording(server, 'Q-SILENT', '2.0.1');
    rec.station.handle('ClearCache', () => new Promise(() => undefined));
    try {
      const res = await submit(server, 'Q-SILENT', { type: 'clearCache' });
      const failed = await finalCommand(server, res.body.id, 4000);
      assert.equal(failed.state, 'failed');
      assert.match(failed.error, /^Timeout: /);
      assert.ok(failed.sentAt, 'it was sent');
      // The queue moves on after the timeout.
      const next = await submit(server, 'Q-SILENT', { type: 'trigger', message: 'heartbeat' }, 5);
      assert.equal(next.body.state, 'accepted');
    } finally {
      await rec.stop();
    }
  });

  test('?wait= returns 202 with the current state when the outcome does not come in time (bounded by maxWaitSec)', async () => {
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'Q-WAIT' })).status, 201);
    // maxWaitSec is 1 here: a 600 s wait is cut to 1 s.
    const res = await submit(server, 'Q-WAIT', { type: 'clearCache' }, 600);
    assert.deepEqual([res.status, res.body.state], [202, 'queued']);
    const zero = await submit(server, 'Q-WAIT', { type: 'clearCache' }, 0);
    assert.deepEqual([zero.status, zero.body.state], [202, 'queued']);
  });

  test('one station\'s commands are delivered one at a time, in creation order', async () => {
    const rec = await startRecording(server, 'Q-ORDER', '2.0.1');
    let inFlight = 0;
    let overlapped = false;
    rec.station.handle('DataTransfer', async (p) => {
      inFlight += 1;
      overlapped ||= inFlight > 1;
      await sleep(20);
      inFlight -= 1;
      return { status: 'Accepted', data: p.messageId };
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await submit(server, 'Q-ORDER', { type: 'dataTransfer', vendorId: 'acme', messageId: `m${i}` })).body.id);
      const done = [];
      for (const id of ids) done.push(await finalCommand(server, id));
      assert.deepEqual(done.map((c) => c.response.data), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
      assert.deepEqual(
        rec.calls.filter((c) => c.action === 'DataTransfer').map((c) => c.payload.messageId),
        ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'],
      );
      assert.equal(overlapped, false, 'never two at once');
      for (let i = 1; i < done.length; i++) assert.ok(done[i - 1].answeredAt <= done[i].sentAt, 'the next goes out after the previous is answered');
    } finally {
      await rec.stop();
    }
  });

  test('a command is failed, not re-sent, when the connection drops before the answer', async () => {
    const rec = await startRecording(server, 'Q-DROP', '1.6');
    rec.station.handle('ClearCache', () => new Promise(() => undefined));
    try {
      const res = await submit(server, 'Q-DROP', { type: 'clearCache', expiresInSec: 3600 });
      await eventually(async () => (await commandById(server, res.body.id)).state === 'sent', 'command sent');
      await rec.station.dropConnection();
      const failed = await finalCommand(server, res.body.id, 4000);
      assert.equal(failed.state, 'failed');
      assert.match(failed.error, /^(StationOffline|Timeout): /);
      assert.equal(failed.attempts, 1);
    } finally {
      await rec.stop();
    }
  });
});
