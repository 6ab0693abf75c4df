/**
 * Command kinds contributed by other capabilities (ADR 23): a type is registered once; a version
 * without a translation fails the command Untranslatable; the kind's `settled` sees every final
 * state, including a command failed at the next start because it was on the wire when the CSMS
 * stopped (a second CommandService over the same database plays the restart).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { commandCall, type Command, type CommandKind } from '../../src/capabilities/commands/index.ts';
import { ocppCall } from '../../src/ocpp/ocpp-handler.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { openRaw } from '../support/raw-client.ts';
import { restartedCommandService } from './command-support.ts';

/** A probe kind: a 1.6 ClearCache that remembers every command it was settled with. */
function probe(type: string, settled: Command[]): CommandKind {
  return {
    type,
    rest: { description: 'test probe', properties: {} },
    toCall: { '1.6': () => commandCall(ocppCall('1.6', 'ClearCache', {}, (answer) => ({ status: answer.status })), new Set(['Accepted'])) },
    settled: (command) => void settled.push(command),
  };
}

describe('contributed command kinds', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 10 }, commands: { connectGraceSec: 0.1 } } as any);
  });
  after(() => server.stop());

  test('a type is registered once, and never over a built-in one', () => {
    const settled: Command[] = [];
    assert.throws(() => server.app.commands.register(probe('start', settled)), /registered twice/);
    server.app.commands.register(probe('probeOnce', settled));
    assert.throws(() => server.app.commands.register(probe('probeOnce', settled)), /registered twice/);
  });

  test('a version without a translation fails the command Untranslatable, and settled sees it', async () => {
    const settled: Command[] = [];
    server.app.commands.register(probe('probeUntranslatable', settled));
    const station = await openRaw(`${server.ocppUrl}/KIND-201`, 'ocpp2.0.1');
    try {
      await eventually(() => server.app.cluster.locate('KIND-201'), 'connected');
      const command = await server.app.commands.submit('KIND-201', { type: 'probeUntranslatable', params: {} });
      const final = await server.app.commands.waitForOutcome(command.id, 5);
      assert.equal(final.state, 'failed');
      assert.match(final.error ?? '', /^Untranslatable: .*OCPP 2\.0\.1 has no message for probeUntranslatable/);
      assert.deepEqual(settled.map((c) => [c.id, c.state]), [[command.id, 'failed']], 'settled before the waiter woke');
    } finally {
      station.close();
    }
  });

  test('a contributed command on the wire when the CSMS stopped is settled as failed at the next start', async () => {
    const settledBefore: Command[] = [];
    server.app.commands.register(probe('probeRestart', settledBefore));
    const station = await openRaw(`${server.ocppUrl}/KIND-16`, 'ocpp1.6');
    try {
      await eventually(() => server.app.cluster.locate('KIND-16'), 'connected');
      const command = await server.app.commands.submit('KIND-16', { type: 'probeRestart', params: {} });
      const call = await station.next(3000);
      assert.equal(call[2], 'ClearCache', 'sent, and the station does not answer');

      const settledAfter: Command[] = [];
      const restarted = restartedCommandService(server);
      restarted.register(probe('probeRestart', settledAfter));
      await restarted.start();
      await restarted.stop();
      assert.deepEqual(settledAfter.map((c) => [c.id, c.state]), [[command.id, 'failed']]);
      assert.match(settledAfter[0]?.error ?? '', /^UnknownOutcome: /);
    } finally {
      station.close();
    }
  });
});
