/**
 * What `npm run sim -- --stations 20 --version mixed` does, against our CSMS:
 * a mixed fleet boots, reports every connector, shows up online in REST, and
 * a station whose modem drops reconnects by itself and is online again.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFleet, type SimFleet } from '../../sim/index.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';

let server: TestServer;
let fleet: SimFleet;

before(async () => {
  server = await startTestServer();
  fleet = await startFleet({
    url: server.ocppUrl,
    count: 20,
    version: 'mixed',
    prefix: 'FLEET',
    evses: 2,
    station: { heartbeats: false, reconnect: { minMs: 50, maxMs: 200 } },
  });
});

after(async () => {
  await fleet?.stop();
  await server?.stop();
});

test('a mixed fleet of 20 boots and reports every connector', async () => {
  assert.equal(fleet.failures.length, 0, JSON.stringify(fleet.failures));
  const listed = await eventually(async () => {
    const body = (await server.api('GET', '/api/v1/stations?search=FLEET-&connected=true&limit=100')).body;
    return body.total === 20 && body.items.every((s: any) => s.evses.length === 2) ? body : null;
  }, 'all 20 stations online with 2 EVSEs');
  const versions = new Set(listed.items.map((s: any) => s.ocppVersion));
  assert.deepEqual([...versions].sort(), ['1.6', '2.0.1', '2.1']);
  assert.ok(listed.items.every((s: any) => s.evses.every((e: any) => e.connectors.every((c: any) => c.status === 'Available'))));
});

test('a dropped connection is re-established with backoff and the station is online again', async () => {
  const station = fleet.stations[0]!;
  const before = (await server.api('GET', `/api/v1/stations/${station.id}/connection-history`)).body.items.length;
  await station.dropConnection();
  await eventually(async () => {
    const items = (await server.api('GET', `/api/v1/stations/${station.id}/connection-history`)).body.items;
    return items.length >= before + 2 && items[0].event === 'connected';
  }, 'disconnect and reconnect recorded');
  const view = (await server.api('GET', `/api/v1/stations/${station.id}`)).body;
  assert.equal(view.connected, true);
});
