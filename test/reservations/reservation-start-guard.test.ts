/** A remote start by another token on a reserved EVSE is refused before it is queued (409 conflict); the reserved token and other EVSEs are not. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { inMinutes, reservationIn, reserve, reservingStation } from './reservation-support.ts';

describe('reservations: remote start guard', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  for (const version of ['1.6', '2.0.1'] as const) {
    test(`${version}: another token on the reserved EVSE is refused; the reserved token and another EVSE are queued`, async () => {
      const id = `RSV-GUARD-${version.replace(/\./g, '')}`;
      const { station } = await reservingStation(server, id, version);
      try {
        const created = await reserve(server, id, { evseId: 1, idToken: 'TAG-OWNER', expiresAt: inMinutes(30) });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        await reservationIn(server, created.body.reservation.id, 'active');
        const other = await server.api('POST', `/api/v1/stations/${id}/commands`, { type: 'start', idToken: 'TAG-OTHER', evseId: 1 });
        assert.deepEqual([other.status, other.body.code], [409, 'conflict'], JSON.stringify(other.body));
        const commands = (await server.api('GET', `/api/v1/stations/${id}/commands`)).body.items;
        assert.ok(!commands.some((c: any) => c.type === 'start'), 'nothing was queued');
        const owner = await server.api('POST', `/api/v1/stations/${id}/commands`, { type: 'start', idToken: 'TAG-OWNER', evseId: 1 });
        assert.equal(owner.status, 202);
        const elsewhere = await server.api('POST', `/api/v1/stations/${id}/commands`, { type: 'start', idToken: 'TAG-OTHER', evseId: 2 });
        assert.equal(elsewhere.status, 202);
      } finally {
        await station.stop();
      }
    });
  }
});
