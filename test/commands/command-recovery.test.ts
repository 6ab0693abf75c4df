/**
 * A command that was on the wire when the CSMS stopped has an unknown
 * outcome: the next start marks it failed and never sends it again. The
 * "next start" is a second CommandService over the same database, while the
 * first one still waits for the station's answer (which then changes nothing).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { openRaw } from '../support/raw-client.ts';
import { commandById, restartedCommandService, sleep, submit } from './command-support.ts';

describe('command recovery at start', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 10 }, commands: { connectGraceSec: 0.1 } } as any);
  });
  after(() => server.stop());

  test('a command sent when the process died is failed with an unknown outcome, never re-sent', async () => {
    const station = await openRaw(`${server.ocppUrl}/REC-1`, 'ocpp1.6');
    await eventually(() => server.app.cluster.locate('REC-1'), 'station connected');
    const res = await submit(server, 'REC-1', { type: 'clearCache' });
    // A station that connected without booting gets its commands after the connect grace.
    const call = await station.next(3000);
    assert.deepEqual([call[0], call[2], call[3]], [2, 'ClearCache', {}]);
    assert.equal((await commandById(server, res.body.id)).state, 'sent');

    const restarted = restartedCommandService(server);
    await restarted.start();
    await restarted.stop();
    const failed = await commandById(server, res.body.id);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error, /^UnknownOutcome: /);
    assert.deepEqual([failed.attempts, failed.response], [1, null]);

    // The late answer does not overwrite the recorded outcome, and nothing is sent again.
    station.sendText(JSON.stringify([3, call[1], { status: 'Accepted' }]));
    await sleep(300);
    const after = await commandById(server, res.body.id);
    assert.deepEqual([after.state, after.response], ['failed', null]);
    await assert.rejects(station.next(300), /no frame/);
    await station.close();
  });
});
