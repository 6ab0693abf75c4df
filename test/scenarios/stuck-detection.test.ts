/**
 * Stuck transactions over real sockets, for OCPP 1.6 and 2.0.1: each
 * detection rule is provoked with a simulator fault, and the case must end
 * with the transaction closed (by the station or by the backend) and every
 * ladder step recorded. Thresholds are compressed to seconds (stuck-support.ts).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../support/harness.ts';
import { eventually } from '../support/harness.ts';
import { cases, commandsOf, finishedCase, simStation, startStuckServer, trail, transactions } from './stuck-support.ts';

let server: TestServer;
before(async () => {
  server = await startStuckServer(['TAG-FREE', 'TAG-BOOT', 'TAG-OFF', 'TAG-NEXT-1', 'TAG-NEXT-2', 'TAG-BACK']);
});
after(() => server.stop());

for (const version of ['1.6', '2.0.1'] as const) {
  describe(`stuck transactions on OCPP ${version}`, () => {
    test('stop lost, connector Available: detected (connector-free), closed in the backend with the last meter value', async () => {
      const station = await simStation(server, version, { tag: 'FREE' });
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 5_000 });
        await s.startCharging(1, 'TAG-FREE');
        await s.meterTick(1, { powerW: 11_000, seconds: 600 });
        await s.availableWithoutStop(1);
        const c = await finishedCase(server, station.id);
        assert.ok(c.reasons.includes('connector-free'), c.reasons.join());
        assert.equal(c.status, 'closed-by-backend');
        assert.equal(c.steps.at(-1).step, 'close');
        assert.ok(!c.steps.some((st: any) => st.step.startsWith('reset') && st.outcome !== 'skipped'), `never reset a free connector: ${trail(c)}`);
        const [tx] = await transactions(server, station.id);
        assert.deepEqual([tx.state, tx.stopReason, tx.energyWh, tx.flags], ['completed', 'stuck', 1_833, ['stuck', 'estimated']]);
      } finally {
        await station.stop();
      }
    });

    test('reboot mid-session that loses the transaction: detected (rebooted-not-resumed), closed in the backend', async () => {
      const station = await simStation(server, version, { tag: 'BOOT' });
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 1_000 });
        await s.startCharging(1, 'TAG-BOOT');
        await s.meterTick(1, { powerW: 7_000, seconds: 3600 });
        await s.loseSessions();
        const c = await finishedCase(server, station.id);
        assert.ok(c.reasons.includes('rebooted-not-resumed') || c.reasons.includes('silent'), c.reasons.join());
        assert.equal(c.status, 'closed-by-backend');
        const [tx] = await transactions(server, station.id);
        assert.deepEqual([tx.state, tx.energyWh, tx.flags], ['completed', 7_000, ['stuck', 'estimated']]);
        if (version === '2.0.1') assert.equal(c.steps[0].outcome, 'station-says-ended', `GetTransactionStatus answers ongoingIndicator=false: ${trail(c)}`);
        else assert.deepEqual(c.steps[0].step, 'ask', '1.6 asks with TriggerMessage StatusNotification');
      } finally {
        await station.stop();
      }
    });

    test('offline longer than the threshold: closed in the backend; the real stop replayed later corrects the same record', async () => {
      const station = await simStation(server, version, { tag: 'OFF' });
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 2_000 });
        await s.startCharging(1, 'TAG-OFF');
        await s.meterTick(1, { powerW: 11_000, seconds: 600 });
        await s.goOffline();
        await s.meterTick(1, { powerW: 11_000, seconds: 600 });
        await s.stopCharging(1, { reason: 'Local' });
        const c = await finishedCase(server, station.id);
        assert.deepEqual(c.reasons, ['offline-too-long']);
        assert.deepEqual(trail(c).slice(0, 5), ['ask:skipped', 'stop:skipped', 'unlock:skipped', 'reset-soft:skipped', 'reset-hard:skipped'], 'no command to an offline station');
        const [estimated] = await transactions(server, station.id);
        assert.deepEqual([estimated.state, estimated.energyWh, estimated.flags], ['completed', 1_833, ['stuck', 'estimated']]);
        await s.goOnline();
        const corrected = await eventually(async () => {
          const items = await transactions(server, station.id);
          return items.length === 1 && !items[0].flags.includes('estimated') ? items[0] : null;
        }, 'the replayed stop corrects the record');
        assert.deepEqual([corrected.id, corrected.energyWh, corrected.stopReason, corrected.flags], [estimated.id, 3_667, 'Local', ['stuck']]);
      } finally {
        await station.stop();
      }
    });

    test('stop lost, then a second transaction on the same connector: the first is closed from the next start reading; the new one is left alone', async () => {
      const station = await simStation(server, version, { tag: 'NEXT' });
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 10_000 });
        await s.startCharging(1, 'TAG-NEXT-1');
        await s.meterTick(1, { powerW: 11_000, seconds: 600 });
        station.faults.set({ dropStop: true });
        await s.meterTick(1, { powerW: 0, seconds: 0 });
        station.sessions.autoMeter = undefined;
        await s.stopCharging(1, { reason: 'Local' });
        station.faults.set({ dropStop: false });
        // Energy after the last sample: the next session's start reading includes it.
        const next = await s.startCharging(1, 'TAG-NEXT-2', { meterStartWh: 12_000, powerW: 11_000, meterIntervalSec: 0.5 });
        const c = await finishedCase(server, station.id);
        assert.ok(c.reasons.includes('superseded'), c.reasons.join());
        assert.ok(!c.steps.some((st: any) => ['stop', 'unlock', 'reset-soft', 'reset-hard'].includes(st.step) && st.outcome !== 'skipped'), `no station step may hit the new session: ${trail(c)}`);
        const items = await transactions(server, station.id);
        const first = items.find((t: any) => t.idToken === 'TAG-NEXT-1');
        const second = items.find((t: any) => t.idToken === 'TAG-NEXT-2');
        assert.deepEqual([first.state, first.energyWh, first.flags], ['completed', 2_000, ['stuck', 'estimated']]);
        assert.equal(second.state, 'active');
        assert.ok(next.active);
      } finally {
        await station.stop();
      }
    });

    test('meter values go backwards and the stop reads below the start: flagged for review with the station\'s stop and the highest reading, never a stuck case', async () => {
      const station = await simStation(server, version, { tag: 'BACK' });
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 8_000 });
        await s.startCharging(1, 'TAG-BACK');
        await s.meterTick(1, { powerW: 12_000, seconds: 300 });
        station.faults.set({ meterBackwards: true });
        await s.meterTick(1, { powerW: 60_000, seconds: 600 });
        await s.stopCharging(1, { reason: 'Local' });
        await s.unplug(1);
        await server.app.stuck.sweep();
        await server.app.stuck.sweep();
        assert.deepEqual(await cases(server, station.id), []);
        const [tx] = await transactions(server, station.id);
        assert.deepEqual([tx.stopReason, tx.flags, tx.meterStartWh, tx.meterStopWh, tx.highestMeterWh, tx.energyWh], ['Local', ['meter-went-backwards'], 8_000, 0, 9_000, null]);
        assert.equal((await commandsOf(server, station.id)).length, 0, 'no command sent');
      } finally {
        await station.stop();
      }
    });
  });
}
