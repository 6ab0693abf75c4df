/**
 * The remediation ladder over real sockets, 1.6 and 2.0.1: each rung is
 * reached with a simulator fault that defeats the rungs below it, and the
 * rung that works closes the transaction on the station (a real stop).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../support/harness.ts';
import { eventually } from '../support/harness.ts';
import { cases, commandsOf, finishedCase, simStation, startStuckServer, trail, transactions } from './stuck-support.ts';

let server: TestServer;
before(async () => {
  server = await startStuckServer(['TAG-L']);
});
after(() => server.stop());

/** A session on SITE-SHORT (max duration 3 s) with meter values every 0.5 s: stuck as `too-long` only. */
async function longSession(version: '1.6' | '2.0.1', tag: string, faults: Parameters<import('../../sim/index.ts').SimFaults['set']>[0]) {
  const station = await simStation(server, version, { siteId: 'SITE-SHORT', tag });
  station.faults.set(faults);
  await station.sessions.plugIn(1, 1, { meterStartWh: 1_000 });
  await station.sessions.startCharging(1, 'TAG-L', { powerW: 7_200, meterIntervalSec: 0.5 });
  return station;
}

const actions = async (stationId: string) => (await commandsOf(server, stationId)).map((c: any) => `${c.type}:${c.state}`).reverse();

for (const version of ['1.6', '2.0.1'] as const) {
  describe(`remediation ladder on OCPP ${version}`, () => {
    test('ask, then request stop: the station stops the session itself (real stop, case resolved)', async () => {
      const station = await longSession(version, 'STOP', {});
      try {
        const c = await finishedCase(server, station.id);
        assert.deepEqual(c.reasons, ['too-long']);
        assert.equal(c.status, 'resolved');
        assert.deepEqual(trail(c), [version === '1.6' ? 'ask:accepted' : 'ask:still-ongoing', 'stop:transaction-closed']);
        const [tx] = await transactions(server, station.id);
        assert.deepEqual([tx.state, tx.stopReason, tx.flags], ['completed', 'Remote', []]);
        const sent = await actions(station.id);
        assert.deepEqual(sent, [version === '1.6' ? 'trigger:accepted' : 'getTransactionStatus:accepted', 'stop:accepted']);
      } finally {
        await station.stop();
      }
    });

    test('stop rejected: unlock (1.6 ends the session) or, on 2.0.1 where unlock is refused during a transaction, soft reset', async () => {
      const station = await longSession(version, 'UNLOCK', { rejectStop: true });
      try {
        const c = await finishedCase(server, station.id);
        assert.equal(c.status, 'resolved');
        const [tx] = await transactions(server, station.id);
        if (version === '1.6') {
          assert.deepEqual(trail(c).slice(1), ['stop:rejected', 'unlock:transaction-closed']);
          assert.equal(tx.stopReason, 'UnlockCommand');
        } else {
          assert.deepEqual(trail(c).slice(1), ['stop:rejected', 'unlock:rejected', 'reset-soft:transaction-closed']);
          assert.equal(tx.stopReason, 'ImmediateReset');
        }
      } finally {
        await station.stop();
      }
    });

    test('stop rejected and cable lock failure: the soft reset ends the session', async () => {
      const station = await longSession(version, 'RESET', { rejectStop: true, unlockFails: true });
      try {
        const c = await finishedCase(server, station.id);
        assert.equal(c.status, 'resolved');
        assert.deepEqual(trail(c).slice(1), ['stop:rejected', 'unlock:rejected', 'reset-soft:transaction-closed']);
        const [tx] = await transactions(server, station.id);
        assert.equal(tx.stopReason, version === '1.6' ? 'SoftReset' : 'ImmediateReset');
      } finally {
        await station.stop();
      }
    });

    test('nothing the station is asked works: hard reset, then the backend closes the books', async () => {
      const station = await longSession(version, 'HARD', { rejectStop: true, unlockFails: true, resetEndsSessions: false });
      try {
        const c = await finishedCase(server, station.id, 25_000);
        assert.equal(c.status, 'closed-by-backend');
        assert.deepEqual(trail(c).slice(1), ['stop:rejected', 'unlock:rejected', 'reset-soft:accepted', 'reset-hard:accepted', 'close:closed']);
        const [tx] = await transactions(server, station.id);
        assert.deepEqual([tx.state, tx.stopReason, tx.flags], ['completed', 'stuck', ['stuck', 'estimated']]);
        assert.ok(tx.energyWh > 0, 'energy from the last meter value');
      } finally {
        await station.stop();
      }
    });

    test('never a reset while another transaction on the station is healthy (implausible energy on EVSE 1, a healthy session on EVSE 2)', async () => {
      const station = await simStation(server, version, { siteId: 'SITE-22KW', evses: 2, tag: 'OTHER' });
      try {
        const s = station.sessions;
        station.faults.set({ rejectStop: true, unlockFails: true });
        await s.startCharging(2, 'TAG-L', { meterStartWh: 0, powerW: 11_000, meterIntervalSec: 0.5 });
        await s.startCharging(1, 'TAG-L', { meterStartWh: 0 });
        await s.meterTick(1, { powerW: 300_000, seconds: 3600 });
        const c = await finishedCase(server, station.id);
        assert.deepEqual(c.reasons, ['implausible-energy']);
        assert.equal(c.status, 'closed-by-backend');
        assert.deepEqual(
          c.steps.filter((st: any) => st.step.startsWith('reset')).map((st: any) => `${st.step}:${st.outcome}:${st.detail}`),
          ['reset-soft:skipped:another transaction on the station is healthy', 'reset-hard:skipped:another transaction on the station is healthy'],
        );
        assert.ok(!(await actions(station.id)).some((a) => a.startsWith('reset')), 'no Reset sent');
        const healthy = (await transactions(server, station.id)).find((t: any) => t.evseId === 2);
        assert.equal(healthy.state, 'active');
      } finally {
        await station.stop();
      }
    });

    test('operator steps: the close waits for approval on SITE-MANUAL; approve runs it', async () => {
      const station = await simStation(server, version, { siteId: 'SITE-MANUAL', tag: 'MANUAL' });
      try {
        const s = station.sessions;
        await s.plugIn(1, 1, { meterStartWh: 3_000 });
        await s.startCharging(1, 'TAG-L');
        await s.meterTick(1, { powerW: 6_000, seconds: 600 });
        await s.loseSessions({ reboot: false }); // crashed firmware: silence from now on
        const waiting = await eventually(async () => {
          const [c] = await cases(server, station.id);
          return c?.status === 'awaiting-operator' ? c : null;
        }, 'the case waits for an operator', 15_000);
        assert.ok(waiting.reasons.includes('silent') || waiting.reasons.includes('station-says-ended'), waiting.reasons.join());
        assert.equal(waiting.pendingStep, 'close');
        assert.equal((await transactions(server, station.id))[0].state, 'active', 'nothing closed without the operator');
        const approved = await server.api('POST', `/api/v1/stuck-transactions/${waiting.id}/approve`);
        assert.equal(approved.status, 200);
        const c = await finishedCase(server, station.id);
        assert.equal(c.status, 'closed-by-backend');
        assert.equal(c.steps.at(-1).detail, 'approved by an operator; meterStopWh 4000 from last-meter-value');
        const again = await server.api('POST', `/api/v1/stuck-transactions/${waiting.id}/approve`);
        assert.deepEqual([again.status, again.body.code], [409, 'conflict']);
        const metrics = (await server.api('GET', '/api/v1/stuck-transactions/metrics')).body;
        assert.ok(metrics.operatorResolved >= 1, JSON.stringify(metrics));
      } finally {
        await station.stop();
      }
    });
  });
}

test('dismiss: an operator ends a case and the transaction is left open', async () => {
  const station = await simStation(server, '2.0.1', { siteId: 'SITE-MANUAL', tag: 'DISMISS' });
  try {
    await station.sessions.plugIn(1, 1, { meterStartWh: 3_000 });
    await station.sessions.startCharging(1, 'TAG-L');
    await station.sessions.loseSessions({ reboot: false });
    const waiting = await eventually(async () => {
      const [c] = await cases(server, station.id);
      return c?.status === 'awaiting-operator' ? c : null;
    }, 'the case waits for an operator', 15_000);
    const dismissed = await server.api('POST', `/api/v1/stuck-transactions/${waiting.id}/dismiss`);
    assert.deepEqual([dismissed.status, dismissed.body.status], [200, 'dismissed']);
    assert.equal((await transactions(server, station.id))[0].state, 'active');
    const rates = (await server.api('GET', '/api/v1/stuck-transactions/station-rates')).body.items;
    assert.ok(!rates.some((r: any) => r.stationId === station.id && r.stuck > 0), 'a dismissed case does not count as stuck');
  } finally {
    await station.stop();
  }
});
