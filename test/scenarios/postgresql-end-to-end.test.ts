/**
 * The whole application on PostgreSQL (production's engine): migrations at
 * start, a mixed fleet booting, statuses and last-seen times written, the
 * REST view reading them back. Runs when a test database URL is set.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFleet, type SimFleet } from '../../sim/index.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { postgresUrl, throwAwayDatabase } from '../support/storage-targets.ts';

const skip = postgresUrl ? false : 'set CHARGEBRIDGE_TEST_DATABASE_URL (or DATABASE_URL) to run the application on PostgreSQL';

let database: Awaited<ReturnType<typeof throwAwayDatabase>> | undefined;
let server: TestServer | undefined;
let fleet: SimFleet | undefined;

before(async () => {
  if (skip) return;
  database = await throwAwayDatabase(postgresUrl as string);
  // Every heartbeat's time is written (no 30 s staleness allowance), so the flush itself is what this test sees.
  server = await startTestServer({ ocpp: { presenceFlushMs: 50, presenceWriteEverySec: 0 } as any }, { postgresUrl: database.url });
});

after(async () => {
  await fleet?.stop();
  await server?.stop();
  await database?.drop();
});

test('a mixed fleet runs end to end on PostgreSQL', { skip }, async () => {
  const s = server as TestServer;
  fleet = await startFleet({ url: s.ocppUrl, count: 6, version: 'mixed', prefix: 'PG', evses: 2, station: { heartbeats: false, reconnect: false } });
  assert.equal(fleet.failures.length, 0);
  await fleet.stations[1]!.setStatus(1, 1, 'Occupied');
  const body = await eventually(async () => {
    const page = (await s.api('GET', '/api/v1/stations?search=PG-&connected=true')).body;
    return page.total === 6 ? page : null;
  }, 'six stations online');
  assert.deepEqual([...new Set(body.items.map((x: any) => x.ocppVersion))].sort(), ['1.6', '2.0.1', '2.1']);
  const busy = (await s.api('GET', `/api/v1/stations/${fleet.stations[1]!.id}`)).body;
  assert.equal(busy.evses[0].connectors[0].status, 'Occupied');
  await new Promise((resolve) => setTimeout(resolve, 20));
  const beforeHeartbeat = Date.now();
  await fleet.stations[0]!.heartbeat();
  await eventually(async () => {
    const [row] = await s.app.storage.db.selectFrom('stations').select('last_seen_at').where('id', '=', fleet!.stations[0]!.id).execute();
    return row?.last_seen_at && new Date(row.last_seen_at).getTime() >= beforeHeartbeat;
  }, 'the heartbeat\'s last-seen time flushed to PostgreSQL');
});
