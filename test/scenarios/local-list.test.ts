/**
 * Local authorization lists kept in sync, for 1.6 and 2.0.1, with ocpp-rpc in
 * strict mode playing the station (it validates every SendLocalList we send).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RPCClient } from 'ocpp-rpc';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.api('POST', '/api/v1/tokens', { idToken: 'LL-1', inLocalList: true });
  await server.api('POST', '/api/v1/tokens', { idToken: 'LL-2', inLocalList: true });
  await server.api('POST', '/api/v1/tokens', { idToken: 'LL-3' });
});
after(() => server.stop());

/** A station that keeps a real local list: full replaces, differential patches, an entry without info removes. */
function listStation(id: string, version: '1.6' | '2.0.1') {
  const is16 = version === '1.6';
  const station = { listVersion: 0, list: new Map<string, string>(), received: [] as Array<{ updateType: string; size: number }>, answer: 'Accepted' };
  const client = new RPCClient({ endpoint: server.ocppUrl, identity: id, protocols: [is16 ? 'ocpp1.6' : 'ocpp2.0.1'], strictMode: true, reconnect: false } as any);
  client.handle('GetLocalListVersion', async () => (is16 ? { listVersion: station.listVersion } : { versionNumber: station.listVersion }));
  client.handle('SendLocalList', async ({ params }: any) => {
    const entries: any[] = params.localAuthorizationList ?? [];
    station.received.push({ updateType: params.updateType, size: entries.length });
    if (station.answer !== 'Accepted') {
      const answer = station.answer;
      station.answer = 'Accepted';
      return { status: answer };
    }
    if (params.updateType === 'Full') station.list.clear();
    for (const e of entries) {
      const token = is16 ? e.idTag : e.idToken.idToken;
      const info = is16 ? e.idTagInfo : e.idTokenInfo;
      if (info) station.list.set(token, info.status);
      else station.list.delete(token);
    }
    station.listVersion = is16 ? params.listVersion : params.versionNumber;
    return { status: 'Accepted' };
  });
  const boot = () =>
    client.call('BootNotification', is16 ? { chargePointVendor: 'V', chargePointModel: 'M' } : { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
  return { client, station, boot };
}

for (const version of ['1.6', '2.0.1'] as const) {
  describe(`local list on ${version}`, () => {
    const id = `LL-${version.replace(/\./g, '')}`;
    let client: RPCClient;
    let station: ReturnType<typeof listStation>['station'];
    let boot: () => Promise<unknown>;
    const status = async () => (await server.api('GET', `/api/v1/stations/${id}/local-list`)).body;
    before(async () => {
      // Each version starts from the same list: LL-1 and LL-2, both Accepted.
      await server.api('PATCH', '/api/v1/tokens/LL-1', { inLocalList: true, status: 'Accepted' });
      await server.api('PATCH', '/api/v1/tokens/LL-2', { inLocalList: true, status: 'Accepted' });
      ({ client, station, boot } = listStation(id, version));
    });
    after(() => client.close());

    test('a booted station gets the full list', async () => {
      await client.connect();
      await boot();
      await eventually(() => station.list.size === 2, 'full list received');
      assert.deepEqual(Object.fromEntries(station.list), { 'LL-1': 'Accepted', 'LL-2': 'Accepted' });
      const s = await status();
      assert.deepEqual([s.status, s.version === s.currentVersion], ['Accepted', true]);
      assert.equal(station.received.at(-1)?.updateType, 'Full');
    });

    test('token changes arrive as differential updates; removals too', async () => {
      await server.api('PATCH', '/api/v1/tokens/LL-2', { status: 'Blocked' });
      await eventually(() => station.list.get('LL-2') === 'Blocked', 'blocked entry');
      assert.deepEqual(station.received.at(-1), { updateType: 'Differential', size: 1 });
      await server.api('PATCH', '/api/v1/tokens/LL-1', { inLocalList: false });
      await eventually(() => !station.list.has('LL-1'), 'entry removed');
      await server.api('PATCH', '/api/v1/tokens/LL-3', { status: 'Blocked' });
      assert.ok(!station.list.has('LL-3'), 'tokens not on the list are never sent');
      assert.equal((await status()).version, station.listVersion);
    });

    test('a station that lost its list, or refuses a difference, gets the full list again', async () => {
      station.listVersion = 0;
      station.list.clear();
      await boot();
      await eventually(() => station.list.size === 1, 'full list after the station lost it');
      station.answer = 'VersionMismatch';
      await server.api('PATCH', '/api/v1/tokens/LL-2', { status: 'Accepted' });
      await eventually(() => station.list.get('LL-2') === 'Accepted', 'list repaired');
      assert.deepEqual(station.received.slice(-2).map((r) => r.updateType), ['Differential', 'Full']);
      const synced = (await server.api('POST', `/api/v1/stations/${id}/local-list/sync`)).body;
      assert.equal(synced.status, 'UpToDate');
    });
  });
}
