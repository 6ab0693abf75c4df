/**
 * CSMS-side expiry with a fake clock: a station expires its reservations silently (1.6 has no
 * message for it), so the sweep marks active reservations past their expiry expired on the CSMS's
 * clock; one not yet due stays active; a reservation the station already ended is left alone.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { FakeTime } from '../support/fake-time.ts';
import { RESERVATION_SWEEP_MS } from '../../src/capabilities/reservations/index.ts';
import { reservation, reservationIn, reserve, reservingStation, type ReservingStation } from './reservation-support.ts';

describe('reservation expiry on the CSMS clock', () => {
  const time = new FakeTime();
  let server: TestServer;
  let sim: ReservingStation;
  const at = (minutes: number) => new Date(time.clock().getTime() + minutes * 60_000).toISOString();

  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 3 } } as any, { time });
    sim = await reservingStation(server, 'RES-EXP-16', '1.6');
  });
  after(async () => {
    await sim?.station.stop();
    await server.stop();
  });

  test('active reservations past their expiry become expired at the next sweep; the others stay', async () => {
    const soon = (await reserve(server, 'RES-EXP-16', { evseId: 1, idToken: 'TAG-SOON', expiresAt: at(5) })).body.reservation;
    const later = (await reserve(server, 'RES-EXP-16', { evseId: 2, idToken: 'TAG-LATER', expiresAt: at(60) })).body.reservation;
    const cancelled = (await server.api('DELETE', `/api/v1/reservations/${(await reserve(server, 'RES-EXP-16', { idToken: 'TAG-GONE', expiresAt: at(5) })).body.reservation.id}?wait=5`)).body.reservation;
    assert.deepEqual([soon.state, later.state, cancelled.state], ['active', 'active', 'cancelled']);

    // Four minutes on: nothing is due yet, though sweeps ran.
    await time.advance(4 * 60_000);
    assert.equal((await reservation(server, soon.id)).state, 'active');

    // Past the first expiry (plus one sweep interval): only that one expired. Reads wait for a sweep that started.
    await time.advance(60_000 + RESERVATION_SWEEP_MS);
    const expired = await reservation(server, soon.id);
    assert.deepEqual([expired.state, expired.reason], ['expired', 'expiry time passed (the CSMS expired it)']);
    assert.equal(new Date(expired.endedAt).getTime() >= Date.parse(soon.expiresAt), true, 'ended at or after its expiry');
    assert.equal((await reservation(server, later.id)).state, 'active');
    assert.equal((await reservation(server, cancelled.id)).state, 'cancelled', 'an ended reservation is not expired again');
  });

  test('a transaction carrying the id of a reservation the CSMS expired still uses it (the station is the evidence)', async () => {
    const r = (await reserve(server, 'RES-EXP-16', { evseId: 1, idToken: 'TAG-LATE', expiresAt: at(2) })).body.reservation;
    await time.advance(3 * 60_000 + RESERVATION_SWEEP_MS);
    assert.equal((await reservation(server, r.id)).state, 'expired');
    await sim.reservations.startTransaction({ evseId: 1, idToken: 'TAG-LATE', reservationId: r.id });
    assert.equal((await reservationIn(server, r.id, 'used')).transactionId !== null, true);
  });
});
