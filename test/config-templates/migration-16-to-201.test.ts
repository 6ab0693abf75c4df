/**
 * The 1.6 -> 2.0.1 move over real sockets: the CSMS learns a 1.6 station's configuration, plans
 * what it becomes in 2.0.1, and when the same station (re-flashed) comes back on 2.0.1 it keeps
 * its identity and history and gets its mapped settings written once.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimStation } from '../../sim/index.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';

const ID = 'MIG-FLEET-1';
const station = (server: TestServer, version: '1.6' | '2.0.1') =>
  new SimStation({ url: server.ocppUrl, id: ID, version, evses: 1, heartbeats: false, reconnect: false, callTimeoutMs: 5000 });

describe('moving a station from OCPP 1.6 to 2.0.1', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('plan, re-flash, reconnect on 2.0.1: identity and history kept, mapped settings written once', async () => {
    const old = station(server, '1.6');
    await old.start();
    await eventually(() => server.app.cluster.locate(ID), 'connected on 1.6');
    const set = await server.api('POST', `/api/v1/stations/${ID}/commands?wait=5`, { type: 'setConfiguration', key: 'MeterValueSampleInterval', value: '45' });
    assert.equal(set.body.state, 'accepted');
    const read = await server.api('POST', `/api/v1/stations/${ID}/commands?wait=5`, { type: 'getConfiguration' });
    assert.equal(read.body.state, 'accepted');

    const plan = await eventually(async () => {
      const p = (await server.api('GET', `/api/v1/stations/${ID}/migration-plan`)).body;
      return p.rows?.length > 0 ? p : null;
    }, 'a plan from the stored 1.6 configuration');
    assert.equal(plan.ocppVersion, '1.6');
    const row = (key: string) => plan.rows.find((r: any) => r.key === key);
    assert.deepEqual([row('MeterValueSampleInterval').status, row('MeterValueSampleInterval').value, row('MeterValueSampleInterval').apply], ['mapped', '45', true]);
    assert.ok(row('MeterValueSampleInterval').targets.includes('SampledDataCtrlr/TxUpdatedInterval'));
    assert.equal(row('HeartbeatInterval').target, 'OCPPCommCtrlr/HeartbeatInterval');
    assert.equal(row('NumberOfConnectors').apply, false, 'read-only keys are reported, not applied');
    await old.stop();

    // Re-flashed: the same identity comes back on 2.0.1.
    const moved = station(server, '2.0.1');
    await moved.start();
    try {
      const r = await eventually(async () => {
        const d = (await server.api('GET', `/api/v1/stations/${ID}/configuration-drift`)).body;
        return d?.trigger === 'migration' && d.settledAt ? d : null;
      }, 'the migration reconciliation settled', 8000);
      const item = r.items.find((i: any) => i.key === 'SampledDataCtrlr/TxUpdatedInterval');
      assert.deepEqual([item.desired, item.actual, item.state, item.templateId], ['45', '60', 'applied', 'migration-from-1.6']);
      assert.equal(moved.settings.get('SampledDataCtrlr/TxUpdatedInterval')?.value, '45', 'the 2.0.1 station now has the 1.6 value');

      const view = (await server.api('GET', `/api/v1/stations/${ID}`)).body;
      assert.equal(view.ocppVersion, '2.0.1');
      const history = (await server.api('GET', `/api/v1/stations/${ID}/commands?limit=100`)).body.items.map((c: any) => c.id);
      assert.ok(history.includes(set.body.id) && history.includes(read.body.id), 'its 1.6 history is still its own');

      // Applied once: the next boot is an ordinary reconciliation with no migrated keys.
      const again = await server.api('POST', `/api/v1/stations/${ID}/configuration-drift`);
      assert.equal(again.status, 202);
      assert.equal(again.body.trigger, 'manual');
      assert.ok(!again.body.items.some((i: any) => i.templateId === 'migration-from-1.6'));
    } finally {
      await moved.stop();
    }
  });

  test('a station the CSMS never knew on 1.6 has an empty plan and no migration', async () => {
    const fresh = new SimStation({ url: server.ocppUrl, id: 'MIG-NEW', version: '2.0.1', evses: 1, heartbeats: false, reconnect: false, callTimeoutMs: 5000 });
    await fresh.start();
    try {
      const r = await eventually(async () => (await server.api('GET', '/api/v1/stations/MIG-NEW/configuration-drift')).body, 'reconciled');
      assert.equal(r.trigger, 'boot');
      const plan = (await server.api('GET', '/api/v1/stations/MIG-NEW/migration-plan')).body;
      assert.deepEqual([plan.rows, plan.basedOn], [[], null]);
    } finally {
      await fresh.stop();
    }
  });
});
