/**
 * Device model over real sockets with the project's simulator: a 2.0.1 / 2.1 station answers
 * GetBaseReport with a multi-part NotifyReport built from its settings, the configuration view
 * shows it; monitors are set, reported and cleared; a 1.6 station's GetConfiguration and
 * ChangeConfiguration outcomes are kept in the same view.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { command, configuration, deviceModelStation, monitors, reportIn, reports } from './device-model-support.ts';

describe('device model with the simulator', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  for (const version of ['2.0.1', '2.1'] as const) {
    test(`OCPP ${version}: getBaseReport -> multi-part NotifyReport -> configuration view`, async () => {
      const id = `DM-SIM-${version.replace(/\./g, '')}`;
      const station = await deviceModelStation(server, id, version, { partSize: 4 });
      try {
        const done = await command(server, id, { type: 'getBaseReport', reportBase: 'FullInventory' });
        assert.equal(done.state, 'accepted', JSON.stringify(done));
        assert.equal(done.response.status, 'Accepted');
        const requestId = done.params?.requestId ?? (await reports(server, id)).items[0].requestId;
        const report = await reportIn(server, id, 'complete');
        const settings = station.settings.list();
        assert.equal(report.requestId, requestId);
        assert.equal(report.commandId, done.id);
        assert.equal(report.itemsReceived, settings.length);
        assert.equal(report.partsReceived, Math.ceil(settings.length / 4));
        assert.equal(report.lastSeqNo, report.partsReceived - 1);
        assert.equal(report.replaces, true);
        assert.deepEqual(report.problems, []);

        const view = await configuration(server, id, '?limit=1000');
        assert.equal(view.ocppVersion, version);
        assert.equal(view.total, settings.length);
        const heartbeat = view.items.find((e: any) => e.key === 'OCPPCommCtrlr/HeartbeatInterval');
        assert.equal(heartbeat.value, station.settings.get('OCPPCommCtrlr/HeartbeatInterval')?.value);
        assert.equal(heartbeat.source, 'report');
        assert.deepEqual(heartbeat.characteristics, { unit: null, dataType: 'integer', minLimit: null, maxLimit: null, maxElements: null, valuesList: null, supportsMonitoring: true });
        assert.equal(heartbeat.attributes[0].mutability, 'ReadWrite');
        const identity = view.items.find((e: any) => e.key === 'SecurityCtrlr/Identity');
        assert.equal(identity.attributes[0].mutability, 'ReadOnly');

        // Filters and paging.
        const comm = await configuration(server, id, '?component=ocppcommctrlr');
        assert.deepEqual(comm.items.map((e: any) => e.variable.name).sort(), ['HeartbeatInterval', 'OfflineThreshold']);
        const page = await configuration(server, id, '?limit=2&offset=2');
        assert.equal(page.items.length, 2);
        assert.equal(page.total, settings.length);
        const q = await configuration(server, id, '?q=EVConnected');
        assert.deepEqual(q.items.map((e: any) => e.key).sort(), ['TxCtrlr/TxStartPoint', 'TxCtrlr/TxStopPoint']);

        // SetVariables and GetVariables outcomes land in the same entries.
        const set = await command(server, id, { type: 'setConfiguration', key: 'OCPPCommCtrlr/OfflineThreshold', value: '120' });
        assert.equal(set.state, 'accepted');
        const refused = await command(server, id, { type: 'setConfiguration', key: 'SecurityCtrlr/Identity', value: 'x' });
        assert.equal(refused.state, 'rejected');
        const after = await configuration(server, id, '?component=OCPPCommCtrlr&variable=OfflineThreshold');
        assert.equal(after.items.length, 1);
        assert.deepEqual([after.items[0].value, after.items[0].source, after.items[0].lastSet.status, after.items[0].lastSet.value], ['120', 'setVariables', 'Accepted', '120']);
        assert.equal(after.items[0].characteristics.dataType, 'integer', 'what the report said is kept');
        const identityAfter = (await configuration(server, id, '?variable=Identity')).items[0];
        assert.deepEqual([identityAfter.source, identityAfter.lastSet.status, identityAfter.value], ['report', 'Rejected', identity.value], 'a refused write does not change the value');

        station.settings.setInternal('OCPPCommCtrlr/HeartbeatInterval', '77');
        const read = await command(server, id, { type: 'getConfiguration', keys: ['OCPPCommCtrlr/HeartbeatInterval'] });
        assert.equal(read.state, 'accepted');
        const hb = (await configuration(server, id, '?variable=HeartbeatInterval')).items[0];
        assert.deepEqual([hb.value, hb.source], ['77', 'getVariables']);
      } finally {
        await station.stop();
      }
    });
  }

  test('OCPP 2.0.1: a getReport filtered to one component merges; a second full report replaces', async () => {
    const id = 'DM-SIM-REPLACE';
    const station = await deviceModelStation(server, id, '2.0.1', { partSize: 5 });
    try {
      assert.equal((await command(server, id, { type: 'getBaseReport', reportBase: 'FullInventory' })).state, 'accepted');
      await reportIn(server, id, 'complete');
      const total = (await configuration(server, id)).total;

      station.settings.define('VendorCtrlr/Fancy', 'yes');
      const filtered = await command(server, id, { type: 'getReport', componentVariable: [{ component: 'VendorCtrlr' }] });
      assert.equal(filtered.state, 'accepted');
      const partial = await reportIn(server, id, 'complete');
      assert.deepEqual([partial.itemsReceived, partial.replaces], [1, false]);
      assert.equal((await configuration(server, id)).total, total + 1);

      const empty = await command(server, id, { type: 'getReport', componentVariable: [{ component: 'NoSuchCtrlr' }] });
      assert.deepEqual([empty.state, empty.response.status], ['accepted', 'EmptyResultSet']);
      const emptyReport = await reportIn(server, id, 'complete');
      assert.equal(emptyReport.partsReceived, 0);

      // A variable the station no longer has disappears with the next complete full report.
      const store = station.settings as unknown as { entries: Map<string, unknown> };
      store.entries.delete('vendorctrlr/fancy');
      assert.equal((await command(server, id, { type: 'getBaseReport', reportBase: 'FullInventory' })).state, 'accepted');
      await reportIn(server, id, 'complete');
      const view = await configuration(server, id, '?limit=1000');
      assert.equal(view.total, total);
      assert.ok(!view.items.some((e: any) => e.key === 'VendorCtrlr/Fancy'));
      assert.equal((await reports(server, id)).total, 4);
    } finally {
      await station.stop();
    }
  });

  test('OCPP 2.0.1: monitors set, reported (multi-part), cleared; level and base', async () => {
    const id = 'DM-SIM-MON';
    const station = await deviceModelStation(server, id, '2.0.1', { partSize: 1 });
    try {
      const set = await command(server, id, {
        type: 'setVariableMonitoring',
        monitors: [
          { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', type: 'UpperThreshold', value: 600, severity: 5 },
          { component: 'TxCtrlr', variable: 'EVConnectionTimeOut', type: 'Delta', value: 10, severity: 8, transaction: true },
          { component: 'Nope', variable: 'Nothing', type: 'Delta', value: 1, severity: 9 },
        ],
      });
      assert.equal(set.state, 'accepted');
      assert.equal(set.response.status, 'PartlyAccepted');
      assert.deepEqual(set.response.results.map((r: any) => r.status), ['Accepted', 'Accepted', 'UnknownVariable']);
      const stored = await monitors(server, id);
      assert.deepEqual(stored.items.map((m: any) => [m.component.name, m.variable.name, m.type, m.value, m.severity, m.transaction, m.source]), [
        ['OCPPCommCtrlr', 'HeartbeatInterval', 'UpperThreshold', 600, 5, false, 'setVariableMonitoring'],
        ['TxCtrlr', 'EVConnectionTimeOut', 'Delta', 10, 8, true, 'setVariableMonitoring'],
      ]);

      const asked = await command(server, id, { type: 'getMonitoringReport' });
      assert.equal(asked.state, 'accepted');
      const report = await reportIn(server, id, 'complete', 'monitoring');
      assert.deepEqual([report.partsReceived, report.itemsReceived, report.replaces], [2, 2, true]);
      assert.ok((await monitors(server, id)).items.every((m: any) => m.source === 'report'));

      const cleared = await command(server, id, { type: 'clearVariableMonitoring', ids: [stored.items[0].id, 999] });
      assert.deepEqual(cleared.response.results.map((r: any) => r.status), ['Accepted', 'NotFound']);
      assert.deepEqual((await monitors(server, id)).items.map((m: any) => m.id), [stored.items[1].id]);

      assert.deepEqual((await command(server, id, { type: 'setMonitoringLevel', severity: 4 })).state, 'accepted');
      assert.deepEqual((await command(server, id, { type: 'setMonitoringBase', monitoringBase: 'HardWiredOnly' })).state, 'accepted');
      const none = await command(server, id, { type: 'getMonitoringReport' });
      assert.deepEqual([none.state, none.response.status], ['accepted', 'EmptyResultSet']);
      await reportIn(server, id, 'complete', 'monitoring');
      assert.equal((await monitors(server, id)).total, 0, 'an empty unfiltered monitoring report: the station has none');
    } finally {
      await station.stop();
    }
  });

  test('OCPP 1.6: getConfiguration and setConfiguration outcomes in the configuration view; report commands fail', async () => {
    const id = 'DM-SIM-16';
    const station = await deviceModelStation(server, id, '1.6');
    try {
      const read = await command(server, id, { type: 'getConfiguration' });
      assert.equal(read.state, 'accepted');
      const view = await configuration(server, id, '?limit=1000');
      assert.equal(view.ocppVersion, '1.6');
      assert.equal(view.total, station.settings.list().length);
      const connectors = view.items.find((e: any) => e.key === 'NumberOfConnectors');
      assert.deepEqual([connectors.dialect, connectors.readonly, connectors.source, connectors.component], ['1.6', true, 'getConfiguration', null]);
      assert.equal(view.items.find((e: any) => e.key === 'HeartbeatInterval').readonly, false);

      const changed = await command(server, id, { type: 'setConfiguration', key: 'MeterValueSampleInterval', value: '15' });
      assert.equal(changed.state, 'accepted');
      const msi = (await configuration(server, id, '?variable=metervaluesampleinterval')).items[0];
      assert.deepEqual([msi.value, msi.source, msi.lastSet.status], ['15', 'setConfiguration', 'Accepted']);
      const refused = await command(server, id, { type: 'setConfiguration', key: 'NumberOfConnectors', value: '9' });
      assert.equal(refused.state, 'rejected');
      const noc = (await configuration(server, id, '?variable=NumberOfConnectors')).items[0];
      assert.deepEqual([noc.value, noc.lastSet.status], [connectors.value, 'Rejected']);

      const report = await server.api('POST', `/api/v1/stations/${id}/commands?wait=5`, { type: 'getBaseReport', reportBase: 'FullInventory' });
      assert.equal(report.body.state, 'failed');
      assert.match(report.body.error, /1\.6/);
      const list = await reports(server, id);
      assert.deepEqual(list.items.map((r: any) => r.state), ['failed']);
    } finally {
      await station.stop();
    }
  });
});
