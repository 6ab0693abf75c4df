/**
 * Tenancy of reservations (issue 13): tenant B's owner reaches none of tenant A's reservations
 * through any reservation route (404, as for an id that does not exist), nor through the command
 * kinds on B's own station; A's reservation is unchanged afterwards. Also the rows the suite in
 * test/http/tenant-isolation.test.ts needs for these routes.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { inMinutes } from './reservation-support.ts';

const PASSWORD = 'reservation tenancy 42';

describe('reservations and tenants', () => {
  let server: TestServer;
  const owners: Record<string, string> = {};
  let reservationOfA: number;

  before(async () => {
    server = await startTestServer();
    for (const name of ['a', 'b']) {
      assert.equal((await server.api('POST', '/api/v1/tenants', { id: `res-${name}`, name })).status, 201);
      assert.equal((await server.api('POST', '/api/v1/users', { email: `owner@res-${name}.example`, password: PASSWORD, role: 'owner', tenantId: `res-${name}` })).status, 201);
      owners[name] = (await server.api('POST', '/api/v1/auth/login', { email: `owner@res-${name}.example`, password: PASSWORD }, null)).body.token;
      assert.equal((await server.api('POST', '/api/v1/stations', { id: `ST-RES-${name.toUpperCase()}` }, owners[name])).status, 201);
    }
    // The station is offline: the reservation stays requested, its reserve command queued.
    const created = await server.api('POST', '/api/v1/stations/ST-RES-A/reservations', { evseId: 1, idToken: 'TAG-RES-A', expiresAt: inMinutes(60) }, owners.a);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.reservation.state, created.body.command.state], ['requested', 'queued']);
    reservationOfA = created.body.reservation.id;
  });
  after(() => server.stop());

  test("B's owner gets 404 for A's reservation on every reservation route", async () => {
    const asB = (method: string, path: string, body?: unknown) => server.api(method, path, body, owners.b);
    const answers = [
      await asB('GET', `/api/v1/reservations/${reservationOfA}`),
      await asB('DELETE', `/api/v1/reservations/${reservationOfA}`),
      await asB('GET', '/api/v1/stations/ST-RES-A/reservations'),
      await asB('POST', '/api/v1/stations/ST-RES-A/reservations', { idToken: 'TAG-SPY', expiresAt: inMinutes(5) }),
      // Through B's own station, naming A's reservation.
      await asB('POST', '/api/v1/stations/ST-RES-B/commands', { type: 'cancelReservation', reservationId: reservationOfA }),
    ];
    assert.deepEqual(answers.map((a) => [a.status, a.body?.code]), Array(answers.length).fill([404, 'not-found']));
    const own = await asB('GET', '/api/v1/stations/ST-RES-B/reservations');
    assert.deepEqual([own.status, own.body.items, own.body.total], [200, [], 0]);
  });

  test("A's reservation is unchanged and visible to A", async () => {
    const mine = await server.api('GET', `/api/v1/reservations/${reservationOfA}`, undefined, owners.a);
    assert.deepEqual([mine.status, mine.body.state, mine.body.stationId], [200, 'requested', 'ST-RES-A']);
    const listed = await server.api('GET', '/api/v1/stations/ST-RES-A/reservations', undefined, owners.a);
    assert.deepEqual(listed.body.items.map((r: { id: number }) => r.id), [reservationOfA]);
  });

  test('an operator cancels a reservation not yet delivered: the cancel is queued behind the reserve', async () => {
    const cancel = await server.api('DELETE', `/api/v1/reservations/${reservationOfA}`, undefined, owners.a);
    assert.deepEqual([cancel.status, cancel.body.command.state, cancel.body.reservation.state], [202, 'queued', 'requested']);
  });
});
