/**
 * Configuration templates over real sockets: a station is reconciled with its templates after
 * it boots; drifted keys are written, the outcome per key is kept, and the next reconciliation
 * finds everything in sync. Simulator for 1.6 and 2.0.1; ocpp-rpc (strict) for a station that
 * refuses a change and reports a read-only key.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimStation } from '../../sim/index.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';

const drift = async (server: TestServer, id: string) => (await server.api('GET', `/api/v1/stations/${id}/configuration-drift`)).body;
const settled = (server: TestServer, id: string) => eventually(async () => {
  const r = await drift(server, id);
  return r?.settledAt ? r : null;
}, `${id} reconciled`, 8000);

describe('configuration templates', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    const created = await server.api('POST', '/api/v1/config-templates', {
      name: 'fleet defaults',
      match: {},
      settings: [
        { key: 'MeterValueSampleInterval', value: '30' },
        { key: 'ConnectionTimeOut', value: '60' },
        { key: 'NumberOfConnectors', value: '5' },
        { key: 'NoSuchKey', value: 'x' },
        { key: 'SampledDataCtrlr/TxUpdatedInterval', value: '15' },
        { key: 'SecurityCtrlr/SecurityProfile', value: '2' },
      ],
    });
    assert.equal(created.status, 201);
    const vendor = await server.api('POST', '/api/v1/config-templates', { name: 'rpc vendor', match: { vendor: 'RpcVendor' }, settings: [{ key: 'MeterValueSampleInterval', value: '10' }] });
    assert.equal(vendor.status, 201);
  });
  after(() => server.stop());

  test('1.6: after boot the drifted key is written, the others are reported; the next reconciliation is all in sync', async () => {
    const station = new SimStation({ url: server.ocppUrl, id: 'TPL-16', version: '1.6', evses: 1, heartbeats: false, reconnect: false, callTimeoutMs: 5000 });
    await station.start();
    try {
      const r = await settled(server, 'TPL-16');
      const states = Object.fromEntries(r.items.map((i: any) => [i.key, [i.state, i.actual]]));
      assert.deepEqual(states, {
        ConnectionTimeOut: ['in-sync', '60'],
        MeterValueSampleInterval: ['applied', '60'],
        NoSuchKey: ['unknown-key', null],
        NumberOfConnectors: ['read-only', '1'],
      });
      assert.deepEqual(r.summary, { total: 4, inSync: 1, drifted: 3, fixed: 1, notFixed: 2 });
      assert.equal(r.trigger, 'boot');
      assert.equal(station.settings.get('MeterValueSampleInterval')?.value, '30', 'the station now has the template\'s value');

      const again = await server.api('POST', '/api/v1/stations/TPL-16/configuration-drift');
      assert.equal(again.status, 202);
      const second = await eventually(async () => {
        const d = await drift(server, 'TPL-16');
        return d.trigger === 'manual' && d.settledAt ? d : null;
      }, 'manual reconciliation settled');
      assert.equal(second.items.find((i: any) => i.key === 'MeterValueSampleInterval').state, 'in-sync');
      const network = (await server.api('GET', '/api/v1/configuration-drift?notFixed=true')).body;
      assert.ok(network.totals.stations >= 1 && network.totals.withUnfixed >= 1);
      assert.ok(network.items.some((r: any) => r.stationId === 'TPL-16'), 'NumberOfConnectors (read-only) and NoSuchKey stay unfixed');
    } finally {
      await station.stop();
    }
  });

  test('2.0.1: Component/Variable keys; a read-only variable is refused by the station and reported rejected', async () => {
    const station = new SimStation({ url: server.ocppUrl, id: 'TPL-201', version: '2.0.1', evses: 1, heartbeats: false, reconnect: false, callTimeoutMs: 5000 });
    await station.start();
    try {
      const r = await settled(server, 'TPL-201');
      const states = Object.fromEntries(r.items.map((i: any) => [i.key, i.state]));
      assert.deepEqual(states, { 'SampledDataCtrlr/TxUpdatedInterval': 'applied', 'SecurityCtrlr/SecurityProfile': 'rejected' });
      assert.equal(station.settings.get('SampledDataCtrlr/TxUpdatedInterval')?.value, '15');
    } finally {
      await station.stop();
    }
  });

  test('ocpp-rpc (strict): the vendor template wins over the tenant\'s; a refused change is kept with the station\'s answer', async () => {
    const client = await strictRpcClient(server.ocppUrl, 'TPL-RPC', 'ocpp1.6');
    const asked: string[][] = [];
    client.handle('GetConfiguration', (({ params }: any) => {
      asked.push(params.key);
      return { configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '60' }, { key: 'ConnectionTimeOut', readonly: false, value: '60' }], unknownKey: ['NoSuchKey', 'NumberOfConnectors'] };
    }) as any);
    client.handle('GetLocalListVersion', (() => ({ listVersion: 0 })) as any);
    client.handle('ChangeConfiguration', (({ params }: any) => ({ status: params.key === 'MeterValueSampleInterval' ? 'Rejected' : 'Accepted' })) as any);
    try {
      await client.call('BootNotification', { chargePointVendor: 'RpcVendor', chargePointModel: 'M' });
      const r = await settled(server, 'TPL-RPC');
      const item = r.items.find((i: any) => i.key === 'MeterValueSampleInterval');
      assert.deepEqual([item.desired, item.state, item.detail], ['10', 'rejected', 'Rejected']);
      assert.ok(asked.some((keys) => keys.includes('MeterValueSampleInterval')), 'only the template keys were read');
    } finally {
      await client.close({ code: 1000 });
    }
  });

  test('a template of another tenant is invisible and does not apply; bad input is refused precisely', async () => {
    assert.equal((await server.api('POST', '/api/v1/tenants', { id: 'other', name: 'Other' })).status, 201);
    const dup = await server.api('POST', '/api/v1/config-templates', { name: 'dup', match: {}, settings: [{ key: 'A', value: '1' }, { key: 'A', value: '2' }] });
    assert.deepEqual([dup.status, dup.body.code], [400, 'invalid-input']);
    const empty = await server.api('POST', '/api/v1/config-templates', { name: 'empty', match: {}, settings: [] });
    assert.equal(empty.status, 400);
    const other = await server.api('POST', '/api/v1/config-templates', { name: 'theirs', tenantId: 'other', match: {}, settings: [{ key: 'HeartbeatInterval', value: '7' }] });
    assert.equal(other.status, 201);
    const r = await drift(server, 'TPL-16');
    assert.ok(!r.items.some((i: any) => i.key === 'HeartbeatInterval'), 'not applied to the default tenant\'s station');
    const missing = await server.api('GET', '/api/v1/config-templates/00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);
    assert.equal((await server.api('DELETE', `/api/v1/config-templates/${other.body.id}`)).status, 204);
    assert.equal((await server.api('GET', `/api/v1/config-templates/${other.body.id}`)).status, 404);
  });
});

describe('configuration templates: sites', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('a caller limited to some sites writes templates for those sites only, and no vendor profile; a site of another tenant is not-found', async () => {
    const key = await server.api('POST', '/api/v1/api-keys', { name: 'site s1', scopes: ['stations:read', 'stations:write'], siteIds: ['tpl-s1'] });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    const asSite = (method: string, path: string, body?: unknown) => server.api(method, path, body, key.body.key);
    const settings = [{ key: 'HeartbeatInterval', value: '60' }];

    const wide = await asSite('POST', '/api/v1/config-templates', { name: 'all', match: {}, settings });
    assert.deepEqual([wide.status, wide.body.code], [403, 'forbidden'], 'a tenant-wide template would reach sites it does not see');
    const other = await asSite('POST', '/api/v1/config-templates', { name: 'other', match: { siteId: 'tpl-s2' }, settings });
    assert.deepEqual([other.status, other.body.code], [403, 'forbidden']);
    const own = await asSite('POST', '/api/v1/config-templates', { name: 'own', match: { siteId: 'tpl-s1' }, settings });
    assert.equal(own.status, 201);
    const widened = await asSite('PUT', `/api/v1/config-templates/${own.body.id}`, { name: 'own', match: {}, settings });
    assert.deepEqual([widened.status, widened.body.code], [403, 'forbidden'], 'nor can an update widen it');
    assert.deepEqual((await asSite('GET', '/api/v1/config-templates')).body.items.map((t: any) => t.id), [own.body.id]);

    const profile = await asSite('POST', '/api/v1/vendor-profiles', { id: 'site-profile', vendorId: 'com.site', messages: [] });
    assert.deepEqual([profile.status, profile.body.code], [403, 'forbidden'], 'a vendor profile applies to every site of the tenant');

    assert.equal((await server.api('POST', '/api/v1/tenants', { id: 'tpl-other', name: 'Other' })).status, 201);
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'TPL-OTHER-ST', tenantId: 'tpl-other', siteId: 'tpl-theirs' })).status, 201);
    const theirs = await server.api('POST', '/api/v1/config-templates', { name: 'theirs', match: { siteId: 'tpl-theirs' }, settings });
    assert.deepEqual([theirs.status, theirs.body.code], [404, 'not-found'], 'the default tenant cannot name another tenant\'s site');
  });
});
