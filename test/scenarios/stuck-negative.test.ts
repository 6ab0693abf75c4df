/**
 * What the stuck handling must never do, over real sockets for 1.6 and
 * 2.0.1: touch a long but healthy session, reset (or stop) a station that
 * is merely slow to answer, or replace the reading of a stop the station sent
 * (a stop a rounding below the last sample, or one truly below the start).
 *
 * The checks that something does not happen run on a server with a fake clock: the test moves
 * time past every threshold and runs the sweep itself, so nothing passes for want of waiting.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../support/harness.ts';
import { eventually } from '../support/harness.ts';
import { FakeTime } from '../support/fake-time.ts';
import { COMPRESSED, cases, commandsOf, simStation, sleep, startStuckServer, trail, transactions } from './stuck-support.ts';

let server: TestServer;
let fake: TestServer;
const time = new FakeTime();
before(async () => {
  [server, fake] = await Promise.all([startStuckServer(['TAG-N']), startStuckServer(['TAG-N'], time)]);
});
after(() => Promise.all([server.stop(), fake.stop()]));

/** Moves the fake server's time by `ms` and runs its sweep at that moment. */
async function later(ms: number): Promise<void> {
  await time.advance(ms);
  await fake.app.stuck.sweep();
}

for (const version of ['1.6', '2.0.1'] as const) {
  describe(`never touched on OCPP ${version}`, () => {
    test('a long but healthy session (meter values every 0.5 s, twice the silence threshold and more) is never touched', async () => {
      const station = await simStation(fake, version, { tag: 'HEALTHY' });
      const silenceMs = COMPRESSED.defaults.silenceFactor * COMPRESSED.defaults.samplingIntervalSec * 1000;
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 0 });
        await s.startCharging(1, 'TAG-N');
        for (let elapsed = 0; elapsed < 2 * silenceMs + 1000; elapsed += 500) {
          await later(500);
          await s.meterTick(1, { powerW: 11_000, seconds: 0.5 });
        }
        await s.stopCharging(1, { reason: 'Local' });
        await s.unplug(1);
        await later(silenceMs + 1000);
        assert.deepEqual(await cases(fake, station.id), []);
        assert.deepEqual(await commandsOf(fake, station.id), []);
        const [tx] = await transactions(fake, station.id);
        assert.deepEqual([tx.state, tx.stopReason, tx.flags], ['completed', 'Local', []]);
      } finally {
        await station.stop();
      }
    });

    test('a stop a rounding below the last sample (truncating meter, decimal samples) is a normal stop: no case, the station\'s reading', async () => {
      const station = await simStation(fake, version, { tag: 'ROUND' });
      // 1.6: samples in Wh with one decimal, integer meterStop truncated; 2.x: kWh with three decimals, Ended truncated to two.
      Object.assign(station.meterHabits, version === '1.6' ? { decimals: 1, rounding: 'truncate' } : { energyUnit: 'kWh', decimals: 3, stopDecimals: 2, rounding: 'truncate' });
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 3700 });
        await s.startCharging(1, 'TAG-N');
        await s.meterTick(1, { powerW: 11_000, seconds: 195 }); // +595.83 Wh: the register reads 4295.83
        await s.stopCharging(1, { reason: 'Local' });
        await later(1000);
        await later(1000);
        const [tx] = await transactions(fake, station.id);
        const expected = version === '1.6' ? { stop: 4295, last: 4295, highest: 4295.8 } : { stop: 4290, last: 4290, highest: 4295 };
        assert.deepEqual([tx.state, tx.stopReason, tx.flags], ['completed', 'Local', []]);
        assert.deepEqual([tx.meterStopWh, tx.highestMeterWh, tx.energyWh], [expected.stop, expected.highest, expected.stop - 3700]);
        assert.deepEqual(await cases(fake, station.id), []);
        assert.deepEqual(await commandsOf(fake, station.id), []);
      } finally {
        await station.stop();
      }
    });

    test('a stop truly below the start (the register was reset) is flagged for review with both readings, never closed again', async () => {
      const station = await simStation(fake, version, { tag: 'RESET' });
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 3700 });
        await s.startCharging(1, 'TAG-N');
        await s.meterTick(1, { powerW: 11_000, seconds: 180 });
        s.setMeter(1, 40); // the meter restarts from zero mid-session
        await s.stopCharging(1, { reason: 'Local' });
        await later(1000);
        await later(1000);
        const [tx] = await transactions(fake, station.id);
        assert.deepEqual([tx.state, tx.stopReason, tx.flags], ['completed', 'Local', ['meter-went-backwards']]);
        assert.deepEqual([tx.meterStartWh, tx.meterStopWh, tx.highestMeterWh, tx.energyWh], [3700, 40, 4250, null]);
        assert.deepEqual(await cases(fake, station.id), []);
      } finally {
        await station.stop();
      }
    });

    test('a quiet station that answers the question slowly (2 s, longer than a step) is asked, found alive and left alone', async () => {
      const station = await simStation(server, version, { tag: 'SLOW' });
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 0 });
        await s.startCharging(1, 'TAG-N');
        if (version === '1.6') {
          station.handle('TriggerMessage', async () => {
            await sleep(2_000);
            setTimeout(() => void station.setStatus(1, 1, 'Charging'), 20);
            return { status: 'Accepted' };
          });
        } else {
          station.handle('GetTransactionStatus', async (p: any) => {
            await sleep(2_000);
            return s.transactionStatus(p.transactionId);
          });
        }
        const c = await eventually(async () => {
          const [found] = await cases(server, station.id);
          return found?.finishedAt ? found : null;
        }, 'the silence case ends', 15_000);
        assert.deepEqual([c.status, c.reasons, trail(c)], ['cleared', ['silent'], ['ask:still-ongoing']]);
        const sent = (await commandsOf(server, station.id)).map((cmd: any) => cmd.type);
        assert.ok(sent.every((type: string) => type === 'trigger' || type === 'getTransactionStatus'), `only questions were sent: ${sent}`);
        const [tx] = await transactions(server, station.id);
        assert.equal(tx.state, 'active');
        assert.ok(s.get(1)?.active, 'the session still runs on the station');
      } finally {
        await station.stop();
      }
    });
  });
}
