/**
 * Local lists larger than one message (the station's SendLocalListMaxLength /
 * ItemsPerMessage), an update cut off half way, and group changes that change
 * what the members' entries say — for 1.6 and 2.0.1, with ocpp-rpc stations.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { listStation } from '../support/local-list-station.ts';

let server: TestServer;
const MEMBERS = ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6', 'P-7'];
before(async () => {
  server = await startTestServer();
  // A group token that is not on the list itself, and seven listed members.
  await server.api('POST', '/api/v1/tokens', { idToken: 'FLEET-G' });
  const imported = await server.api('POST', '/api/v1/tokens/import', MEMBERS.map((idToken) => ({ idToken, groupId: 'FLEET-G', inLocalList: true })));
  assert.equal(imported.status, 200);
});
after(() => server.stop());

for (const version of ['1.6', '2.0.1'] as const) {
  describe(`local list in parts on ${version}`, () => {
    const id = `LLP-${version.replace(/\./g, '')}`;
    const status = async () => (await server.api('GET', `/api/v1/stations/${id}/local-list`)).body;
    let s: ReturnType<typeof listStation>;
    before(async () => {
      await server.api('PATCH', '/api/v1/tokens/FLEET-G', { status: 'Accepted' });
      s = listStation(server.ocppUrl, id, version, { maxEntries: 3 });
      await s.client.connect();
    });
    after(() => s.client.close({ force: true }));

    test('a list longer than the station takes arrives in parts: the first replaces, the rest add', async () => {
      await s.boot();
      await eventually(async () => (await status()).status === 'Accepted', 'list accepted');
      assert.deepEqual(s.station.received, [
        { updateType: 'Full', size: 3 },
        { updateType: 'Differential', size: 3 },
        { updateType: 'Differential', size: 1 },
      ]);
      assert.deepEqual([...s.station.list.keys()].sort(), MEMBERS);
      assert.equal((await status()).detail, 'full update in 3 parts');
    });

    test("blocking a group re-sends its members' entries, which now say Blocked", async () => {
      s.station.received.length = 0;
      await server.api('PATCH', '/api/v1/tokens/FLEET-G', { status: 'Blocked' });
      await eventually(() => MEMBERS.every((m) => s.station.list.get(m) === 'Blocked'), 'members blocked on the station');
      assert.deepEqual(s.station.received.map((r) => r.updateType), ['Differential', 'Differential', 'Differential']);
      await server.api('PATCH', '/api/v1/tokens/FLEET-G', { status: 'Accepted' });
      await eventually(() => MEMBERS.every((m) => s.station.list.get(m) === 'Accepted'), 'members accepted again');
    });

    test('an update cut off half way is repaired with the full list, even though the station reports the current version', async () => {
      s.station.received.length = 0;
      s.station.listVersion = 0;
      s.station.list.clear();
      s.station.script = ['', 'Failed'];
      await s.boot();
      await eventually(async () => (await status()).status === 'Partial', 'recorded as partial');
      assert.equal(s.station.list.size, 3, 'the station holds only the first part');
      assert.equal(s.station.listVersion, (await status()).currentVersion, 'and reports the current version');
      const synced = await server.api('POST', `/api/v1/stations/${id}/local-list/sync`);
      assert.equal(synced.body.status, 'Accepted');
      assert.deepEqual(s.station.received.slice(-3).map((r) => r.updateType), ['Full', 'Differential', 'Differential']);
      assert.deepEqual([...s.station.list.keys()].sort(), MEMBERS);
    });
  });
}
