/**
 * Local authorization lists kept in sync, for 1.6 and 2.0.1, with ocpp-rpc in
 * strict mode playing the station (it validates every SendLocalList we send).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { listStation } from '../support/local-list-station.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.api('POST', '/api/v1/tokens', { idToken: 'LL-1', inLocalList: true });
  await server.api('POST', '/api/v1/tokens', { idToken: 'LL-2', inLocalList: true });
  await server.api('POST', '/api/v1/tokens', { idToken: 'LL-3' });
});
after(() => server.stop());

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
      ({ client, station, boot } = listStation(server.ocppUrl, id, version));
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
