/**
 * Offline authorization settings set per site and per station reach the
 * station as ChangeConfiguration (1.6) or SetVariables (2.0.1), with ocpp-rpc
 * in strict mode playing a station that keeps real settings and cannot take
 * one of them.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RPCClient } from 'ocpp-rpc';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

/** A station with settings; it knows no LocalPreAuthorize, like many real ones. */
function settingsStation(id: string, version: '1.6' | '2.0.1') {
  const is16 = version === '1.6';
  const settings = new Map<string, string>(
    is16
      ? [['LocalAuthorizeOffline', 'false'], ['AllowOfflineTxForUnknownId', 'false'], ['AuthorizationCacheEnabled', 'true']]
      : [['AuthCtrlr/LocalAuthorizeOffline', 'false'], ['AuthCtrlr/OfflineTxForUnknownIdEnabled', 'false'], ['AuthCacheCtrlr/Enabled', 'true']],
  );
  const received: string[] = [];
  const client = new RPCClient({ endpoint: server.ocppUrl, identity: id, protocols: [is16 ? 'ocpp1.6' : 'ocpp2.0.1'], strictMode: true, reconnect: false } as any);
  client.handle('ChangeConfiguration', async ({ params }: any) => {
    received.push(params.key);
    if (!settings.has(params.key)) return { status: 'NotSupported' };
    settings.set(params.key, params.value);
    return { status: 'Accepted' };
  });
  client.handle('SetVariables', async ({ params }: any) => ({
    setVariableResult: params.setVariableData.map((d: any) => {
      const key = `${d.component.name}/${d.variable.name}`;
      received.push(key);
      const known = settings.has(key);
      if (known) settings.set(key, d.attributeValue);
      return { attributeStatus: known ? 'Accepted' : 'UnknownVariable', component: d.component, variable: d.variable };
    }),
  }));
  const boot = () =>
    client.call('BootNotification', is16 ? { chargePointVendor: 'V', chargePointModel: 'M' } : { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
  return { client, settings, received, boot };
}

for (const version of ['1.6', '2.0.1'] as const) {
  describe(`offline authorization settings on ${version}`, () => {
    const id = `OFF-${version.replace(/\./g, '')}`;
    const site = `SITE-OFF-${version}`;
    const view = async () => (await server.api('GET', `/api/v1/stations/${id}/offline-authorization`)).body;
    const key = (name16: string, name2x: string) => (version === '1.6' ? name16 : name2x);
    let station: ReturnType<typeof settingsStation>;

    before(async () => {
      assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId: site })).status, 201);
      // Set while the station has never connected: it gets them at its first boot.
      const put = await server.api('PUT', `/api/v1/sites/${site}/offline-authorization`, { localAuthorizeOffline: true, offlineTxForUnknownId: false, localPreAuthorize: true });
      assert.equal(put.status, 200);
      station = settingsStation(id, version);
      await station.client.connect();
    });
    after(() => station.client.close({ force: true }));

    test('the site settings are pushed after the boot; the one the station cannot take is reported refused', async () => {
      await station.boot();
      const settled = await eventually(async () => {
        const v = await view();
        return v.pending.length === 0 && Object.keys(v.applied).length === 2 ? v : null;
      }, 'settings applied');
      assert.equal(station.settings.get(key('LocalAuthorizeOffline', 'AuthCtrlr/LocalAuthorizeOffline')), 'true');
      assert.equal(station.settings.get(key('AllowOfflineTxForUnknownId', 'AuthCtrlr/OfflineTxForUnknownIdEnabled')), 'false');
      assert.deepEqual(settled.applied, { localAuthorizeOffline: true, offlineTxForUnknownId: false });
      assert.deepEqual(settled.refused.map((r: any) => r.setting), ['localPreAuthorize']);
      assert.deepEqual(settled.effective.localAuthorizeOffline, { value: true, from: 'site' });
      assert.equal(settled.effective.authCacheEnabled, undefined, 'what nobody set is left to the station');
    });

    test("a station's own value wins over its site's and is pushed at once", async () => {
      const put = await server.api('PUT', `/api/v1/stations/${id}/offline-authorization`, { offlineTxForUnknownId: true });
      assert.equal(put.status, 200);
      assert.deepEqual(put.body.effective.offlineTxForUnknownId, { value: true, from: 'station' });
      await eventually(() => station.settings.get(key('AllowOfflineTxForUnknownId', 'AuthCtrlr/OfflineTxForUnknownIdEnabled')) === 'true', 'override applied');
      assert.equal((await eventually(async () => ((await view()).pending.length === 0 ? view() : null), 'settled')).applied.offlineTxForUnknownId, true);
    });

    test('a reboot sends nothing the station already holds, nor what it refused; an operator push retries the refusal', async () => {
      const before = station.received.length;
      await station.boot();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(station.received.length, before, 'nothing re-sent at boot');
      const pushed = await server.api('POST', `/api/v1/stations/${id}/offline-authorization/push`);
      assert.equal(pushed.status, 200);
      await eventually(() => station.received.length === before + 1, 'refused setting sent again');
      assert.equal(station.received.at(-1), key('LocalPreAuthorize', 'AuthCtrlr/LocalPreAuthorize'));
    });

    test('unknown settings and bad values are refused with a problem', async () => {
      const bad = await server.api('PUT', `/api/v1/sites/${site}/offline-authorization`, { localAuthorizeOffline: 'yes' });
      assert.equal(bad.status, 400);
      const unknown = await server.api('PUT', `/api/v1/stations/${id}/offline-authorization`, { chargeForFree: true });
      assert.equal(unknown.status, 400);
      assert.equal((await server.api('GET', `/api/v1/sites/${site}/offline-authorization`)).body.settings.localAuthorizeOffline, true);
    });
  });
}
