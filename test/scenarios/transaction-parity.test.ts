/**
 * Parity: the same driver-level scenarios, run by a 1.6 and a 2.0.1 simulated
 * station, must give the same REST transaction view (ids and times aside).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimStation } from '../../sim/index.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.api('POST', '/api/v1/tokens', { idToken: 'PARITY-TAG' });
});
after(() => server.stop());

type Version = '1.6' | '2.0.1';
let counter = 0;

async function runOn(version: Version, scenario: (station: SimStation) => Promise<void>) {
  const id = `PAR-${version.replace(/\./g, '')}-${++counter}`;
  const station = new SimStation({ url: server.ocppUrl, id, version, evses: 2, heartbeats: false, reconnect: { minMs: 20, maxMs: 100 } });
  await station.start();
  try {
    await scenario(station);
  } finally {
    await station.stop();
  }
  const items = await eventually(async () => {
    const body = (await server.api('GET', `/api/v1/transactions?stationId=${id}`)).body;
    return body.items.length > 0 && body.items.every((t: any) => t.state === 'completed') ? body.items : null;
  }, `completed transactions of ${id}`);
  // What must not depend on the OCPP version:
  return items.map((t: any) => ({
    state: t.state, evseId: t.evseId, connectorId: t.connectorId, idToken: t.idToken, meterStartWh: t.meterStartWh,
    meterStopWh: t.meterStopWh, energyWh: t.energyWh, stopReason: t.stopReason, offline: t.offline, flags: t.flags,
  }));
}

async function parity(scenario: (station: SimStation) => Promise<void>) {
  const v16 = await runOn('1.6', scenario);
  const v201 = await runOn('2.0.1', scenario);
  assert.deepEqual(v201, v16);
  return v16;
}

describe('the same session gives the same transaction on 1.6 and 2.0.1', () => {
  test('plug in, authorize, charge, stop', async () => {
    const [tx] = await parity(async (station) => {
      const s = station.sessions;
      await s.plugIn(2, 1, { meterStartWh: 10_000 });
      assert.equal((await s.authorize('PARITY-TAG')).status, 'Accepted');
      await s.startCharging(2, 'PARITY-TAG');
      await s.meterTick(2, { powerW: 11_000, seconds: 600 });
      await s.meterTick(2, { powerW: 11_000, seconds: 600 });
      await s.stopCharging(2, { reason: 'Local' });
      await s.unplug(2);
    });
    assert.deepEqual(tx, {
      state: 'completed', evseId: 2, connectorId: 1, idToken: 'PARITY-TAG', meterStartWh: 10_000,
      meterStopWh: 13_667, energyWh: 3_667, stopReason: 'Local', offline: false, flags: [],
    });
  });

  test('remote start by command, charge, remote stop by command', async () => {
    const [tx] = await parity(async (station) => {
      const s = station.sessions;
      const start = await server.api('POST', `/api/v1/stations/${station.id}/commands?wait=10`, { type: 'start', idToken: 'PARITY-TAG', evseId: 1 });
      assert.deepEqual([start.body.state, start.body.response?.status], ['accepted', 'Accepted']);
      const session = await eventually(() => (s.get(1)?.transactionId ? s.get(1) : undefined), 'the remote session started');
      await s.meterTick(1, { powerW: 22_000, seconds: 900 });
      const [running] = await eventually(async () => {
        const items = (await server.api('GET', `/api/v1/transactions?stationId=${station.id}&state=active`)).body.items;
        return items.length === 1 && items[0].energyWh > 0 ? items : null;
      }, 'the active transaction with energy');
      assert.equal(running.ocppTransactionId, session.transactionId);
      const stop = await server.api('POST', `/api/v1/stations/${station.id}/commands?wait=10`, { type: 'stop', transactionId: running.id });
      assert.deepEqual([stop.body.state, stop.body.response?.status], ['accepted', 'Accepted']);
    });
    assert.deepEqual([tx.idToken, tx.energyWh, tx.stopReason, tx.flags], ['PARITY-TAG', 5_500, 'Remote', []]);
  });

  test('a session charged offline is replayed on reconnect and marked offline', async () => {
    const [tx] = await parity(async (station) => {
      const s = station.sessions;
      await s.goOffline();
      await s.plugIn(1, 1, { meterStartWh: 0 });
      await s.startCharging(1, 'PARITY-TAG');
      await s.meterTick(1, { powerW: 7_200, seconds: 3_600 });
      await s.stopCharging(1, { reason: 'EVDisconnected' });
      assert.ok(s.queuedMessages > 0);
      await s.goOnline();
    });
    assert.deepEqual([tx.offline, tx.energyWh, tx.stopReason, tx.flags], [true, 7_200, 'EVDisconnected', []]);
  });

  test('an unknown token charging offline is kept, billed and flagged', async () => {
    const [tx] = await parity(async (station) => {
      const s = station.sessions;
      await s.goOffline();
      await s.plugIn(1, 1, { meterStartWh: 500 });
      await s.startCharging(1, 'STRANGER');
      await s.meterTick(1, { powerW: 3_600, seconds: 3_600 });
      await s.stopCharging(1, { reason: 'Local' });
      await s.goOnline();
    });
    assert.deepEqual([tx.idToken, tx.offline, tx.energyWh, tx.flags], ['STRANGER', true, 3_600, ['invalid-token-offline']]);
  });
});
