/** Autocharge: only on sites that enable it, and every use logged and judged for spoofing. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { openRaw, type RawClient } from '../support/raw-client.ts';

let server: TestServer;
const clients: RawClient[] = [];
const MAC = '00AABBCCDDEE';

before(async () => {
  server = await startTestServer();
  for (const [id, siteId] of [['AC-1', 'north'], ['AC-2', 'north'], ['AC-3', 'south'], ['AC-4', null]] as const) {
    await server.api('POST', '/api/v1/stations', { id, siteId });
  }
  await server.api('POST', '/api/v1/tokens', { idToken: MAC, type: 'MacAddress' });
  await server.api('POST', '/api/v1/tokens', { idToken: `VID:${MAC}`, type: 'MacAddress' });
});
after(async () => {
  for (const c of clients) await c.close();
  await server.stop();
});

async function connect(id: string, protocol: string) {
  const c = await openRaw(`${server.ocppUrl}/${id}`, protocol);
  clients.push(c);
  await eventually(() => server.app.stations.siteOf(id) !== undefined, `${id} connected`);
  return c;
}
const authorize201 = async (c: RawClient) => (await c.call('Authorize', { idToken: { idToken: MAC, type: 'MacAddress' } }))[2].idTokenInfo.status;

test('Autocharge is refused where the site has not enabled it', async () => {
  const c201 = await connect('AC-1', 'ocpp2.0.1');
  const c16 = await connect('AC-4', 'ocpp1.6');
  assert.equal(await authorize201(c201), 'NotAllowedTypeEVSE');
  assert.equal((await c16.call('Authorize', { idTag: `VID:${MAC}` }))[2].idTagInfo.status, 'Invalid', 'a station on no site never allows it');
  const settings = await server.api('PUT', '/api/v1/sites/north/authorization', { autochargeEnabled: true });
  assert.deepEqual(settings.body, { siteId: 'north', autochargeEnabled: true });
  assert.equal(await authorize201(c201), 'Accepted');
});

test('the same vehicle on two stations at once is flagged', async () => {
  const a = await connect('AC-2', 'ocpp2.0.1');
  assert.equal(await authorize201(a), 'Accepted');
  const uses = (await server.api('GET', '/api/v1/autocharge/uses?suspicious=true')).body.items;
  assert.deepEqual(uses.map((u: any) => [u.stationId, u.suspicion, u.accepted]), [['AC-2', 'seen-on-two-stations', true]]);
  const all = (await server.api('GET', `/api/v1/autocharge/uses?idToken=${MAC}`)).body.items;
  assert.deepEqual(all.map((u: any) => [u.stationId, u.accepted]), [['AC-2', true], ['AC-1', true], ['AC-1', false]]);
});
