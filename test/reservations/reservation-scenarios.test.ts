/**
 * Reservations over real sockets with the project's simulator, for OCPP 1.6 and 2.0.1: reserve ->
 * active or refused, cancel, the station's ReservationStatusUpdate, use by a transaction carrying
 * the reservation id, a violation by another token, the Reserved connector's holder, and hostile
 * status updates (unknown id, another station's reservation).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { inMinutes, reservation, reservationIn, reserve, reservingStation, type ReservingStation } from './reservation-support.ts';

describe('reservations with the simulator', () => {
  let server: TestServer;
  const stations: ReservingStation[] = [];
  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 3 } } as any);
  });
  after(async () => {
    await Promise.allSettled(stations.map((s) => s.station.stop()));
    await server.stop();
  });

  for (const version of ['1.6', '2.0.1'] as const) {
    const tag = version.replace(/\./g, '');
    let sim: ReservingStation;
    const id = `RES-SIM-${tag}`;

    test(`OCPP ${version}: reserve -> active; the station got our id; a Reserved connector names its holder`, async () => {
      sim = await reservingStation(server, id, version);
      stations.push(sim);
      const created = await reserve(server, id, { evseId: 1, idToken: `TAG-A-${tag}`, expiresAt: inMinutes(30) });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const r = created.body.reservation;
      assert.deepEqual([r.state, r.evseId, r.idToken, created.body.command.state, r.commandId], ['active', 1, `TAG-A-${tag}`, 'accepted', created.body.command.id]);
      const call = sim.calls.find((c) => c.action === 'ReserveNow');
      assert.ok(call, 'ReserveNow received');
      if (version === '1.6') assert.deepEqual([call.payload.reservationId, call.payload.connectorId, call.payload.idTag], [r.id, 1, `TAG-A-${tag}`]);
      else assert.deepEqual([call.payload.id, call.payload.evseId, call.payload.idToken], [r.id, 1, { idToken: `TAG-A-${tag}`, type: 'Central' }]);
      assert.ok(sim.reservations.held.has(r.id));

      await sim.station.setStatus(1, 1, 'Reserved');
      const listed = await eventually(async () => {
        const page = (await server.api('GET', `/api/v1/stations/${id}/reservations`)).body;
        return page.reservedConnectors.length > 0 ? page : null;
      }, 'the Reserved connector');
      assert.deepEqual(listed.reservedConnectors, [{ evseId: 1, connectorId: 1, reservationId: r.id }]);
      assert.deepEqual(listed.items.map((x: { id: number }) => x.id), [r.id]);
      await sim.station.setStatus(1, 1, 'Available');
    });

    test(`OCPP ${version}: a station that answers Occupied refuses the reservation`, async () => {
      sim.reservations.answer = 'Occupied';
      try {
        const created = await reserve(server, id, { evseId: 2, idToken: `TAG-B-${tag}`, expiresAt: inMinutes(30) });
        assert.deepEqual([created.body.reservation.state, created.body.reservation.reason, created.body.command.state], ['refused', 'Occupied', 'rejected']);
      } finally {
        sim.reservations.answer = 'Accepted';
      }
    });

    test(`OCPP ${version}: cancel Accepted -> cancelled; cancelling again is a conflict; Rejected -> removed`, async () => {
      const r = (await reserve(server, id, { evseId: 2, idToken: `TAG-C-${tag}`, expiresAt: inMinutes(30) })).body.reservation;
      const cancelled = await server.api('DELETE', `/api/v1/reservations/${r.id}?wait=5`);
      assert.deepEqual([cancelled.status, cancelled.body.reservation.state, cancelled.body.command.state], [202, 'cancelled', 'accepted']);
      assert.ok(sim.calls.some((c) => c.action === 'CancelReservation' && c.payload.reservationId === r.id));
      const again = await server.api('DELETE', `/api/v1/reservations/${r.id}`);
      assert.deepEqual([again.status, again.body.code], [409, 'conflict']);

      const forgotten = (await reserve(server, id, { evseId: 2, idToken: `TAG-D-${tag}`, expiresAt: inMinutes(30) })).body.reservation;
      sim.reservations.held.delete(forgotten.id); // the station lost it (reboot, its own expiry)
      const rejected = await server.api('DELETE', `/api/v1/reservations/${forgotten.id}?wait=5`);
      assert.deepEqual([rejected.body.command.state, rejected.body.reservation.state], ['rejected', 'removed']);
      assert.match(rejected.body.reservation.reason, /Rejected/);
    });

    test(`OCPP ${version}: a transaction carrying the reservation id uses it`, async () => {
      const r = (await reserve(server, id, { evseId: 1, idToken: `TAG-E-${tag}`, expiresAt: inMinutes(30) })).body.reservation;
      const ocppId = await sim.reservations.startTransaction({ evseId: 1, idToken: `TAG-E-${tag}`, reservationId: r.id });
      const used = await reservationIn(server, r.id, 'used');
      const tx = (await server.api('GET', `/api/v1/transactions/${used.transactionId}`)).body;
      assert.deepEqual([tx.ocppTransactionId, tx.reservationId], [ocppId, r.id]);
    });

    test(`OCPP ${version}: another token starting on the reserved EVSE is recorded as a violation`, async () => {
      const r = (await reserve(server, id, { evseId: 2, idToken: `TAG-F-${tag}`, expiresAt: inMinutes(30) })).body.reservation;
      await sim.reservations.startTransaction({ evseId: 2, idToken: `TAG-INTRUDER-${tag}` });
      const violated = await eventually(async () => {
        const current = await reservation(server, r.id);
        return current.violations.length > 0 ? current : null;
      }, 'the violation');
      assert.equal(violated.state, 'active', 'the reservation still holds');
      assert.deepEqual([violated.violations[0].idToken, violated.violations[0].evseId], [`TAG-INTRUDER-${tag}`, 2]);
    });

    test(`OCPP ${version}: reserve through POST /commands creates the reservation too; cancelReservation of an unknown id is 404`, async () => {
      const submitted = await server.api('POST', `/api/v1/stations/${id}/commands?wait=5`, { type: 'reserve', idToken: `TAG-G-${tag}`, expiresAt: inMinutes(10) });
      assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
      const reservationId = submitted.body.params.reservationId;
      assert.equal(typeof reservationId, 'number');
      const r = await reservation(server, reservationId);
      assert.deepEqual([r.state, r.evseId, r.commandId], ['active', null, submitted.body.id]);
      const unknown = await server.api('POST', `/api/v1/stations/${id}/commands`, { type: 'cancelReservation', reservationId: 2_000_000_000 });
      assert.deepEqual([unknown.status, unknown.body.code], [404, 'not-found']);
    });

    test(`OCPP ${version}: the reserved connector becoming Faulted ends the reservation; another EVSE's does not`, async () => {
      const r = (await reserve(server, id, { evseId: 2, idToken: `TAG-I-${tag}`, expiresAt: inMinutes(30) })).body.reservation;
      const other = (await reserve(server, id, { evseId: 1, idToken: `TAG-J-${tag}`, expiresAt: inMinutes(30) })).body.reservation;
      await sim.station.setStatus(2, 1, 'Faulted');
      const removed = await reservationIn(server, r.id, 'removed');
      assert.equal(removed.reason, 'connector Faulted');
      assert.equal((await reservation(server, other.id)).state, 'active');
      await sim.station.setStatus(2, 1, 'Available');
    });

    test(`OCPP ${version}: an expiry in the past is refused before anything is queued`, async () => {
      const past = await reserve(server, id, { evseId: 1, idToken: `TAG-H-${tag}`, expiresAt: inMinutes(-1) });
      assert.deepEqual([past.status, past.body.code], [400, 'invalid-input']);
    });
  }

  test('OCPP 1.6: a connector type cannot be expressed: the reserve command fails, the reservation too', async () => {
    const created = await reserve(server, 'RES-SIM-16', { connectorType: 'cCCS2', idToken: 'TAG-CT', expiresAt: inMinutes(10) });
    assert.deepEqual([created.body.command.state, created.body.reservation.state], ['failed', 'failed']);
    assert.match(created.body.reservation.reason, /Untranslatable/);
  });

  test('OCPP 2.0.1: ReservationStatusUpdate Expired and Removed end reservations', async () => {
    const sim = stations.find((s) => s.station.id === 'RES-SIM-201')!;
    const expiring = (await reserve(server, 'RES-SIM-201', { evseId: 1, idToken: 'TAG-X1', expiresAt: inMinutes(30) })).body.reservation;
    const removed = (await reserve(server, 'RES-SIM-201', { idToken: 'TAG-X2', expiresAt: inMinutes(30) })).body.reservation;
    assert.deepEqual(await sim.reservations.statusUpdate(expiring.id, 'Expired'), {});
    assert.deepEqual(await sim.reservations.statusUpdate(removed.id, 'Removed'), {});
    assert.deepEqual([(await reservation(server, expiring.id)).state, (await reservation(server, expiring.id)).reason], ['expired', 'Expired']);
    assert.equal((await reservation(server, removed.id)).state, 'removed');
  });

  test('OCPP 2.0.1 hostile: a status update for an unknown id or for another station\'s reservation is answered and changes nothing', async () => {
    const sim = stations.find((s) => s.station.id === 'RES-SIM-201')!;
    assert.deepEqual(await sim.reservations.statusUpdate(2_147_483_000, 'Removed'), {});
    const other = (await reserve(server, 'RES-SIM-16', { evseId: 2, idToken: 'TAG-OTHER-ST', expiresAt: inMinutes(30) })).body.reservation;
    assert.equal(other.state, 'active');
    assert.deepEqual(await sim.reservations.statusUpdate(other.id, 'Removed'), {});
    assert.equal((await reservation(server, other.id)).state, 'active', "another station cannot end RES-SIM-16's reservation");
    assert.deepEqual(await sim.reservations.statusUpdate(10 ** 12, 'Expired'), {}, 'an id beyond any the CSMS assigns');
    assert.ok(sim.station.connected, 'the connection stays up');
  });

  test("OCPP 1.6 hostile: a StartTransaction naming another station's reservation, or an unknown one, is accepted and uses neither", async () => {
    const sim16 = stations.find((s) => s.station.id === 'RES-SIM-16')!;
    const elsewhere = (await reserve(server, 'RES-SIM-201', { evseId: 2, idToken: 'TAG-ELSEWHERE', expiresAt: inMinutes(30) })).body.reservation;
    assert.equal(elsewhere.state, 'active');
    const foreign = await sim16.reservations.startTransaction({ evseId: 1, idToken: 'TAG-ELSEWHERE', reservationId: elsewhere.id });
    const unknown = await sim16.reservations.startTransaction({ evseId: 1, idToken: 'TAG-NOBODY', reservationId: 2_000_000_001 });
    for (const ocppId of [foreign, unknown]) {
      const txs = (await server.api('GET', '/api/v1/transactions?stationId=RES-SIM-16&limit=100')).body.items as Array<{ ocppTransactionId: string }>;
      assert.ok(txs.some((tx) => tx.ocppTransactionId === ocppId), `transaction ${ocppId} recorded`);
    }
    // The watch has judged both transactions once their events are in: a later event on the same station is judged after them.
    const marker = (await reserve(server, 'RES-SIM-16', { evseId: 2, idToken: 'TAG-MARK', expiresAt: inMinutes(30) })).body.reservation;
    await sim16.reservations.startTransaction({ evseId: 2, idToken: 'TAG-MARK', reservationId: marker.id });
    await reservationIn(server, marker.id, 'used');
    assert.equal((await reservation(server, elsewhere.id)).state, 'active', "RES-SIM-201's reservation is untouched");
  });
});
