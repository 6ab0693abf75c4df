/** The reservation core's decisions, table by table: request rules, the state machine, transactions and statuses judged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkRequest, consume, end, endedByStatus, holders, judgeTransaction, newReservation, settleRequest, startRefusal, violate,
  type Reservation, type ReservationState,
} from '../../src/capabilities/reservations/reservation.ts';

const now = new Date('2026-05-01T10:00:00Z');
const later = new Date('2026-05-01T10:05:00Z');
const base = newReservation(7, 'ST-1', 'default', { evseId: 1, idToken: 'TAG-1', expiresAt: '2026-05-01T11:00:00Z' }, now);
const inState = (state: ReservationState, changes: Partial<Reservation> = {}): Reservation => ({ ...base, state, ...changes });

test('request rules the schema cannot state', () => {
  const ok = { idToken: 'T', expiresAt: '2026-05-01T10:30:00Z' };
  assert.equal(checkRequest(ok, now), null);
  assert.match(checkRequest({ ...ok, expiresAt: '2026-05-01T09:59:59Z' }, now) ?? '', /future/);
  assert.match(checkRequest({ ...ok, expiresAt: 'soon' }, now) ?? '', /date-time/);
  assert.match(checkRequest({ ...ok, idToken: '  ' }, now) ?? '', /idToken/);
  assert.match(checkRequest({ ...ok, evseId: 2, connectorType: 'cCCS2' }, now) ?? '', /connectorType/);
  assert.equal(checkRequest({ ...ok, evseId: 0, connectorType: 'cCCS2' }, now), null, 'EVSE 0 is any');
  assert.equal(newReservation(1, 'S', 't', { ...ok, evseId: 0 }, now).evseId, null, 'EVSE 0 is stored as any');
});

test("the station's answer settles a requested reservation, and only that", () => {
  const rows: Array<[Parameters<typeof settleRequest>[1], ReservationState, string | null]> = [
    [{ kind: 'answered', accepted: true, status: 'Accepted' }, 'active', null],
    [{ kind: 'answered', accepted: false, status: 'Occupied' }, 'refused', 'Occupied'],
    [{ kind: 'answered', accepted: false, status: 'Rejected', info: 'NoReservations' }, 'refused', 'Rejected: NoReservations'],
    [{ kind: 'failed', error: 'Timeout: no answer' }, 'failed', 'Timeout: no answer'],
    [{ kind: 'expired' }, 'failed', 'the reserve command expired before the station connected'],
  ];
  for (const [outcome, state, reason] of rows) {
    const decided = settleRequest(base, outcome, 'cmd-1', later);
    assert.ok(decided.ok);
    assert.deepEqual([decided.reservation.state, decided.reservation.reason, decided.reservation.commandId, decided.reservation.version], [state, reason, 'cmd-1', 2]);
    assert.equal(decided.reservation.endedAt?.getTime() ?? null, state === 'active' ? null : later.getTime());
  }
  assert.equal(settleRequest(inState('active'), { kind: 'answered', accepted: true, status: 'Accepted' }, 'c', later).ok, false, 'answered once');
  const lateAnswer = settleRequest(inState('expired'), { kind: 'answered', accepted: true, status: 'Accepted' }, 'c', later);
  assert.ok(lateAnswer.ok && lateAnswer.reservation.state === 'expired', 'a late Accepted does not revive an expired reservation');
});

test('ends apply to open reservations only; use outranks the CSMS clock but not a refusal or a cancel', () => {
  for (const state of ['requested', 'active'] as const) assert.equal(end(inState(state), 'cancelled', null, later).ok, true);
  for (const state of ['refused', 'failed', 'used', 'cancelled', 'expired', 'removed'] as const) assert.equal(end(inState(state), 'removed', 'Removed', later).ok, false, state);
  for (const state of ['requested', 'active', 'expired', 'failed'] as const) {
    const used = consume(inState(state), 'TX-1', later);
    assert.ok(used.ok && used.reservation.state === 'used' && used.reservation.transactionId === 'TX-1', state);
  }
  for (const state of ['refused', 'cancelled', 'removed'] as const) assert.equal(consume(inState(state), 'TX-1', later).ok, false, state);
  assert.equal(consume(inState('used', { transactionId: 'TX-1' }), 'TX-1', later).ok, false, 'idempotent');
  assert.equal(consume(inState('used', { transactionId: 'TX-1' }), 'TX-2', later).ok, false, 'used once');
});

test('a violation is recorded once per transaction, on an active reservation only', () => {
  const v = { transactionId: 'TX-9', evseId: 1, idToken: 'OTHER', at: later };
  const first = violate(inState('active'), v);
  assert.ok(first.ok && first.reservation.violations.length === 1 && first.reservation.state === 'active');
  assert.equal(violate(first.reservation, v).ok, false);
  assert.equal(violate(inState('requested'), v).ok, false);
});

test('a transaction uses the reservation it names, or the reserved token on its EVSE; another token on the EVSE violates it', () => {
  const onEvse1 = inState('active');
  const anyEvse = inState('active', { id: 8, evseId: null, idToken: 'TAG-ANY' });
  const grouped = inState('active', { id: 9, evseId: 2, idToken: 'TAG-G', groupIdToken: 'GROUP' });
  const open = [onEvse1, anyEvse, grouped];
  const judge = (tx: Partial<Parameters<typeof judgeTransaction>[1]>) => {
    const j = judgeTransaction(open, { transactionId: 'TX', evseId: 1, idToken: null, reservationId: null, ...tx });
    return [j.uses?.id ?? null, j.violates.map((r) => r.id)];
  };
  assert.deepEqual(judge({ reservationId: 7, idToken: 'TAG-1' }), [7, []]);
  assert.deepEqual(judge({ idToken: 'tag-1' }), [7, []], 'tokens compare case-insensitively');
  assert.deepEqual(judge({ idToken: 'TAG-ANY', evseId: 3 }), [8, []], 'a reservation of any EVSE is used on any');
  assert.deepEqual(judge({ idToken: 'INTRUDER' }), [null, [7]]);
  assert.deepEqual(judge({ idToken: 'INTRUDER', evseId: 2 }), [null, []], 'a group may hold the other token: not judged');
  assert.deepEqual(judge({ idToken: null }), [null, []], 'no token yet: nothing to judge');
  assert.deepEqual(judge({ reservationId: 4242, idToken: 'TAG-1' }), [null, []], 'names another reservation: neither uses this one nor violates it by token');
});

test('Faulted or Unavailable ends the reservations of that EVSE, or all for the station; Reserved connectors name their holder', () => {
  const a = inState('active');
  const b = inState('active', { id: 8, evseId: 2 });
  assert.deepEqual(endedByStatus([a, b], { evseId: 1, status: 'Faulted' }).map((r) => r.id), [7]);
  assert.deepEqual(endedByStatus([a, b], { evseId: 0, status: 'Unavailable' }).map((r) => r.id), [7, 8]);
  assert.deepEqual(endedByStatus([a, b], { evseId: 1, status: 'Occupied' }), []);
  const any = inState('active', { id: 9, evseId: null });
  const connectors = [
    { evseId: 1, connectorId: 1, status: 'Reserved' },
    { evseId: 3, connectorId: 1, status: 'Reserved' },
    { evseId: 2, connectorId: 1, status: 'Available' },
  ];
  assert.deepEqual(holders([a, any], connectors), [
    { evseId: 1, connectorId: 1, reservationId: 7 },
    { evseId: 3, connectorId: 1, reservationId: 9 },
  ]);
  assert.deepEqual(holders([], connectors).map((h) => h.reservationId), [null, null]);
});

test('a remote start by another token on a reserved EVSE is refused; the reserved token, another EVSE or no EVSE pass', () => {
  const open = [inState('active'), inState('requested', { id: 8, evseId: 2 }), inState('active', { id: 9, evseId: 3, groupIdToken: 'G' })];
  assert.match(startRefusal(open, { evseId: 1, idToken: 'OTHER' }) ?? '', /EVSE 1 is reserved .* \(reservation 7\)/);
  assert.equal(startRefusal(open, { evseId: 1, idToken: 'tag-1' }), null);
  assert.equal(startRefusal(open, { evseId: 2, idToken: 'OTHER' }), null, 'not yet accepted by the station');
  assert.equal(startRefusal(open, { evseId: 3, idToken: 'OTHER' }), null, 'a group reservation is the station\'s to judge');
  assert.equal(startRefusal(open, { idToken: 'OTHER' }), null);
});
