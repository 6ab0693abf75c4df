/**
 * Several Chargebridge processes on one PostgreSQL database and one NATS:
 * commands cross nodes, a station moves between nodes mid-session, a node is
 * SIGKILLed mid-session, and cluster-wide background work runs on one node.
 * Stations reach the nodes through a small TCP balancer, as in production.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { SimStation } from '../../sim/index.ts';
import { eventually } from '../support/harness.ts';
import { startNodeProcess, type NodeProcess } from '../support/node-process.ts';
import { TcpBalancer } from '../support/tcp-balancer.ts';
import { startMeterLoopStation } from '../support/meter-loop-station.ts';
import { postgresUrl, throwAwayDatabase } from '../support/storage-targets.ts';
import { natsUrl } from '../support/cluster-targets.ts';

const skip = !postgresUrl
  ? 'set CHARGEBRIDGE_TEST_DATABASE_URL to run the multi-node tests (they need PostgreSQL)'
  : !natsUrl
    ? 'set CHARGEBRIDGE_TEST_NATS_URL to run the multi-node tests (they need NATS with JetStream)'
    : false;

const NODE_CONFIG = {
  // The tests poll the API faster than a person would; rate limits are tested in test/http/access-api.test.ts.
  access: { rateLimitPerMinute: 0 },
  cluster: { heartbeatSec: 0.25, nodeTtlSec: 1.5 },
  commands: { sweepIntervalSec: 0.25 },
  ocpp: { callTimeoutSec: 10 },
};

const run = Date.now().toString(36);
const stationIdFor = (name: string) => `MN-${run}-${name}`;
const simOptions = (url: string, id: string, version: '1.6' | '2.0.1') =>
  ({ url, id, version, heartbeats: false, reconnect: { minMs: 50, maxMs: 200 } }) as const;

describe('a cluster of node processes', { skip }, () => {
  let database: { url: string; drop(): Promise<void> };
  let a: NodeProcess;
  let b: NodeProcess;
  let c: NodeProcess;
  const stations: SimStation[] = [];
  const balancers: TcpBalancer[] = [];

  before(async () => {
    database = await throwAwayDatabase(postgresUrl as string);
    // The first node migrates; the others start on a migrated database.
    a = await startNodeProcess({ name: `a-${run}`, databaseUrl: database.url, natsUrl: natsUrl as string, config: NODE_CONFIG });
    [b, c] = await Promise.all([
      startNodeProcess({ name: `b-${run}`, databaseUrl: database.url, natsUrl: natsUrl as string, config: NODE_CONFIG }),
      startNodeProcess({ name: `c-${run}`, databaseUrl: database.url, natsUrl: natsUrl as string, config: NODE_CONFIG }),
    ]);
    await a.api('POST', '/api/v1/tokens', { idToken: 'CLUSTER-TAG' });
  });

  after(async () => {
    await Promise.allSettled(stations.map((s) => s.stop()));
    await Promise.allSettled(balancers.map((l) => l.stop()));
    await Promise.allSettled([a, b, c].filter(Boolean).map((n) => n.stop()));
    await database?.drop();
  });

  async function balancerTo(node: NodeProcess): Promise<TcpBalancer> {
    const balancer = new TcpBalancer(node.port);
    await balancer.start();
    balancers.push(balancer);
    return balancer;
  }

  async function connectedTo(id: string, node: NodeProcess, via: NodeProcess): Promise<void> {
    await eventually(async () => {
      const location = (await via.api('GET', `/api/v1/stations/${encodeURIComponent(id)}`)).body;
      return location?.connected === true && node.logged('station connected').some((l) => l.stationId === id) ? true : null;
    }, `${id} connected to ${node.name}`, 10_000);
  }

  test('an API key revoked on node A is refused by node B on its very next request; a sign-out likewise', async () => {
    const created = await a.api('POST', '/api/v1/api-keys', { name: 'cluster key', scopes: ['stations:read'] });
    assert.equal(created.status, 201);
    const key = created.body.key as string;
    assert.equal((await b.api('GET', '/api/v1/stations', undefined, key)).status, 200, 'a key made on A works on B');
    assert.equal((await a.api('DELETE', `/api/v1/api-keys/${created.body.id}`)).status, 204);
    // No waiting: B looks the key up in the shared database on every request.
    assert.equal((await b.api('GET', '/api/v1/stations', undefined, key)).status, 401);
    assert.equal((await c.api('GET', '/api/v1/stations', undefined, key)).status, 401);

    const password = 'cluster password 1234';
    assert.equal((await a.api('POST', '/api/v1/users', { email: `ops-${run}@example.com`, password, role: 'viewer' })).status, 201);
    const session = await c.api('POST', '/api/v1/auth/login', { email: `ops-${run}@example.com`, password }, null);
    assert.equal(session.status, 200);
    assert.equal((await b.api('GET', '/api/v1/auth/me', undefined, session.body.token)).status, 200);
    assert.equal((await a.api('POST', '/api/v1/auth/logout', undefined, session.body.token)).status, 204);
    assert.equal((await b.api('GET', '/api/v1/auth/me', undefined, session.body.token)).status, 401);
  });

  test('a command submitted on node A reaches a station connected to node B; a token created on A authorizes on B', async () => {
    const id = stationIdFor('cmd');
    const station = new SimStation(simOptions(b.ocppUrl, id, '2.0.1'));
    stations.push(station);
    await station.start();
    const answer = await a.api('POST', `/api/v1/stations/${id}/commands?wait=10`, { type: 'reset', mode: 'soft' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual([answer.body.state, answer.body.response?.status], ['accepted', 'Accepted']);
    assert.ok(b.logged('station connected').some((l) => l.stationId === id));
    assert.ok(!a.logged('station connected').some((l) => l.stationId === id), 'the station never connected to A');
    await eventually(async () => (await station.sessions.authorize('CLUSTER-TAG')).status === 'Accepted', 'the token created on A to be accepted on B');
    const created = await b.api('POST', '/api/v1/tokens', { idToken: 'CLUSTER-TAG-2' });
    assert.equal(created.status, 201);
    const onA = new SimStation(simOptions(a.ocppUrl, stationIdFor('cmd-a'), '1.6'));
    stations.push(onA);
    await onA.start();
    await eventually(async () => (await onA.sessions.authorize('CLUSTER-TAG-2')).status === 'Accepted', 'the token created on B to be accepted on A');
    await station.stop();
    await onA.stop();
  });

  test('an operator on A accepts a Pending station held by B; B answers its next boot with Accepted', async () => {
    const id = stationIdFor('pending');
    assert.equal((await a.api('POST', '/api/v1/stations', { id, registrationStatus: 'Pending' })).status, 201);
    const station = new SimStation({ ...simOptions(b.ocppUrl, id, '2.0.1'), bootRetryMs: 200 });
    stations.push(station);
    const boots: string[] = [];
    station.on('boot', (result: { status: string }) => boots.push(result.status));
    void station.start().catch(() => undefined);
    await eventually(() => boots.includes('Pending'), 'a Pending boot on B', 10_000);
    assert.equal((await a.api('PATCH', `/api/v1/stations/${id}`, { registrationStatus: 'Accepted' })).status, 200);
    await eventually(() => boots.at(-1) === 'Accepted', 'the next boot on B to be Accepted', 10_000);
    const listed = (await a.api('GET', '/api/v1/stations?connected=true&limit=500')).body.items.map((s: { id: string }) => s.id);
    assert.ok(listed.includes(id), 'A lists the station held by B as connected');
    await station.stop();
  });

  test('offline authorization settings set on A reach a station that boots on B', async () => {
    const id = stationIdFor('offline-auth');
    const site = `SITE-${run}`;
    assert.equal((await a.api('POST', '/api/v1/stations', { id, siteId: site })).status, 201);
    // Set on A before the station exists anywhere: B must learn that the site has settings.
    assert.equal((await a.api('PUT', `/api/v1/sites/${site}/offline-authorization`, { localAuthorizeOffline: false })).status, 200);
    const station = new SimStation(simOptions(b.ocppUrl, id, '1.6'));
    stations.push(station);
    await station.start();
    const view = await eventually(async () => {
      const body = (await a.api('GET', `/api/v1/stations/${id}/offline-authorization`)).body;
      return body.applied?.localAuthorizeOffline === false ? body : null;
    }, 'the setting applied by the station on B', 10_000);
    assert.deepEqual(view.effective.localAuthorizeOffline, { value: false, from: 'site' });
    await station.stop();
  });

  test('a station that moves from A to B mid-session continues its transaction there', async () => {
    const id = stationIdFor('move');
    const balancer = await balancerTo(a);
    const station = new SimStation(simOptions(balancer.url, id, '1.6'));
    stations.push(station);
    await station.start();
    await connectedTo(id, a, b);
    const s = station.sessions;
    await s.plugIn(1, 1, { meterStartWh: 1000 });
    const tx = await s.startCharging(1, 'CLUSTER-TAG');
    await s.meterTick(1, { powerW: 10_000, seconds: 360 });

    balancer.route(b.port);
    balancer.cut();
    await eventually(async () => b.logged('station connected').some((l) => l.stationId === id) && station.connected, `${id} reconnected to B`, 10_000);
    await s.meterTick(1, { powerW: 10_000, seconds: 360 });
    // A remote stop submitted on A reaches the station on B.
    const [active] = await eventually(async () => {
      const items = (await a.api('GET', `/api/v1/transactions?stationId=${id}&state=active`)).body.items;
      return items.length === 1 && items[0].energyWh >= 2000 ? items : null;
    }, 'the active transaction with the energy of both nodes');
    assert.equal(active.ocppTransactionId, tx.transactionId);
    const stop = await a.api('POST', `/api/v1/stations/${id}/commands?wait=10`, { type: 'stop', transactionId: active.id });
    assert.deepEqual([stop.body.state, stop.body.response?.status], ['accepted', 'Accepted']);
    const done = await eventually(async () => {
      const items = (await b.api('GET', `/api/v1/transactions?stationId=${id}`)).body.items;
      return items.length === 1 && items[0].state === 'completed' ? items[0] : null;
    }, 'the transaction completed');
    assert.deepEqual([done.energyWh, done.stopReason, done.flags], [2000, 'Remote', []]);
    const location = (await a.api('GET', `/api/v1/stations/${id}`)).body;
    assert.equal(location.connected, true);
    await station.stop();
  });

  test('node C is killed mid-session; the station reconnects to A and no transaction event is lost or doubled', async () => {
    const id = stationIdFor('kill');
    const balancer = await balancerTo(c);
    const station = new SimStation(simOptions(balancer.url, id, '2.0.1'));
    stations.push(station);
    await station.start();
    await connectedTo(id, c, a);
    const s = station.sessions;
    await s.plugIn(1, 1, { meterStartWh: 0 });
    await s.startCharging(1, 'CLUSTER-TAG');
    await s.meterTick(1, { powerW: 6000, seconds: 600 });

    balancer.route(a.port);
    await c.kill();
    // Events made while the station is cut off are queued by it and replayed to A.
    const ticks = [s.meterTick(1, { powerW: 6000, seconds: 600 }), s.meterTick(1, { powerW: 6000, seconds: 600 })];
    await eventually(() => a.logged('station connected').some((l) => l.stationId === id), `${id} reconnected to A`, 15_000);
    await Promise.all(ticks);
    await s.stopCharging(1, { reason: 'Local' });

    const [done] = await eventually(async () => {
      const items = (await a.api('GET', `/api/v1/transactions?stationId=${id}`)).body.items;
      return items.length === 1 && items[0].state === 'completed' ? items : null;
    }, 'the transaction completed on A', 15_000);
    assert.equal(done.energyWh, 3000);
    const detail = (await a.api('GET', `/api/v1/transactions/${done.id}`)).body;
    const seqNos = detail.timeline.map((e: { seqNo: number }) => e.seqNo).sort((x: number, y: number) => x - y);
    // plug-in Started, authorized Updated, three meter Updated, Ended: seqNo 0..5, each exactly once.
    assert.deepEqual(seqNos, [0, 1, 2, 3, 4, 5]);
    await station.stop();
  });

  test('node D is stopped under load (a rolling restart): what it stored was answered, it closes with 1012, the stations go on at A', async () => {
    const d = await startNodeProcess({ name: `d-${run}`, databaseUrl: database.url, natsUrl: natsUrl as string, config: NODE_CONFIG });
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const balancer = await balancerTo(d);
      const fleet = await Promise.all(Array.from({ length: 12 }, (_, i) => startMeterLoopStation(balancer.url, stationIdFor(`roll-${i}`), 'CLUSTER-TAG')));
      await eventually(() => fleet.every((s) => s.answered >= 20), 'every station charging on D');
      balancer.route(a.port);
      await d.stop();
      // 1012 Service Restart, not an abnormal close: the stations reconnect at once.
      assert.deepEqual(await Promise.all(fleet.map((s) => s.closed)), fleet.map(() => 1012));
      const storedFor = async (station: { transactionId: number }) =>
        Number((await pool.query("select count(*)::int as n from transaction_meter_values v join transactions t on t.id = v.transaction_id where t.ocpp_transaction_id = $1", [String(station.transactionId)])).rows[0].n);
      // Every message D committed was answered before the close, and nothing it left unanswered was stored:
      // the station's count and the database agree, so a resend can neither be lost nor needed twice.
      for (const station of fleet) assert.equal(await storedFor(station), station.answered, `${station.id}: stored = answered`);

      await Promise.all(fleet.map((s) => s.resume(balancer.url)));
      for (const station of fleet) assert.deepEqual(await station.stop(), {}, `${station.id} stopped on A`);
      for (const station of fleet) assert.equal(await storedFor(station), station.answered, `${station.id}: the resent value stored once`);
      const completed = await pool.query("select count(*)::int as n from transactions where station_id like $1 and state = 'completed'", [`${stationIdFor('roll-')}%`]);
      assert.equal(completed.rows[0].n, fleet.length);
      assert.ok(a.logged('station connected').some((l) => l.stationId === fleet[0]!.id));
    } finally {
      await pool.end();
      await d.stop();
    }
  });

  test('the command expiry sweep runs on exactly one node, and on another once its holder is killed', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const holderOf = async () =>
        (await pool.query<{ holder: string }>("select holder from cluster_leases where name = 'commands.expiry' and expires_at > now()")).rows[0]?.holder;
      const holder = await eventually(holderOf, 'a holder of the expiry lease');
      const [first, second] = holder === a.name ? [a, b] : [b, a];
      assert.equal(first.name, holder);
      // An offline station's commands expire: one node marks them, the other never does.
      const id = stationIdFor('offline');
      assert.equal((await second.api('POST', '/api/v1/stations', { id })).status, 201);
      const submitted = await Promise.all([1, 2, 3].map(() => second.api('POST', `/api/v1/stations/${id}/commands`, { type: 'clearCache', expiresInSec: 1 })));
      for (const { body } of submitted) {
        await eventually(async () => (await first.api('GET', `/api/v1/commands/${body.id}`)).body.state === 'expired', 'the command expired', 10_000);
      }
      assert.ok(first.logged('undelivered commands expired').length >= 1);
      assert.equal(second.logged('undelivered commands expired').length, 0, 'only the lease holder expires commands');

      await first.kill();
      await eventually(async () => (await holderOf()) === second.name, 'the other node to take the lease over', 15_000);
      const late = (await second.api('POST', `/api/v1/stations/${id}/commands`, { type: 'clearCache', expiresInSec: 1 })).body;
      await eventually(async () => (await second.api('GET', `/api/v1/commands/${late.id}`)).body.state === 'expired', 'the late command expired', 10_000);
      assert.ok(second.logged('undelivered commands expired').length >= 1);
    } finally {
      await pool.end();
    }
  });
});
