/**
 * Reservations core: the version-neutral reservation and the pure decisions about it. No I/O, no
 * clock reads: time and ids come in as values.
 *
 *   requested --station Accepted--> active --a transaction carried its id--> used
 *       |  \--Faulted/Occupied/Rejected/Unavailable--> refused      \--> cancelled | expired | removed
 *       \--command failed or expired undelivered--> failed
 *
 * A reservation is requested when the CSMS queues its ReserveNow; the station's answer settles it.
 * Its end comes from the station (a transaction with its id, a ReservationStatusUpdate), from the
 * operator (cancel), or from the CSMS's own clock (expiry: the station expires it silently).
 */

export const RESERVATION_STATES = ['requested', 'active', 'refused', 'failed', 'used', 'cancelled', 'expired', 'removed'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

/** States in which the reservation holds (or may soon hold) its EVSE. */
export const OPEN_STATES: readonly ReservationState[] = ['requested', 'active'];

/** A transaction started on the reserved EVSE by another token while the reservation was active. */
export interface ReservationViolation {
  transactionId: string;
  evseId: number | null;
  idToken: string | null;
  at: Date;
}

export interface Reservation {
  /** The OCPP reservationId (an integer the CSMS assigns). */
  id: number;
  tenantId: string;
  stationId: string;
  /** The reserved EVSE (1.6: connector); null: any (1.6 connector 0, 2.x without evseId). */
  evseId: number | null;
  /** 2.x: reserve a connector of this type (any EVSE); 1.6 cannot express it. */
  connectorType: string | null;
  idToken: string;
  /** 2.x IdTokenType; null: Central. */
  idTokenType: string | null;
  /** 2.x groupIdToken; 1.6 parentIdTag. */
  groupIdToken: string | null;
  groupIdTokenType: string | null;
  expiresAt: Date;
  state: ReservationState;
  /** Why it is refused, failed or ended, in the station's words when it gave them (Occupied, Removed, ...). */
  reason: string | null;
  /** The reserve command that carried it. */
  commandId: string | null;
  /** The transaction that used it. */
  transactionId: string | null;
  violations: ReservationViolation[];
  /** Bumped by every write; a write applies only over the version it was decided from. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}

/** What an operator asks for (the REST body and the reserve command's parameters). */
export type ReservationRequest = {
  evseId?: number;
  connectorType?: string;
  idToken: string;
  idTokenType?: string;
  groupIdToken?: string;
  groupIdTokenType?: string;
  /** ISO 8601 date-time. */
  expiresAt: string;
};

export type Decision = { ok: true; reservation: Reservation } | { ok: false; reason: string };

const refuse = (r: Reservation, what: string): Decision => ({ ok: false, reason: `${what} does not apply to reservation ${r.id} in state ${r.state}` });

/** Rules the request schema cannot state: the problem, or null. `now` bounds the expiry. */
export function checkRequest(request: ReservationRequest, now: Date): string | null {
  const expiresAt = Date.parse(request.expiresAt);
  if (!Number.isFinite(expiresAt)) return 'expiresAt must be a date-time';
  if (expiresAt <= now.getTime()) return 'expiresAt must be in the future';
  if (request.idToken.trim() === '') return 'idToken must not be empty';
  if (request.groupIdToken !== undefined && request.groupIdToken.trim() === '') return 'groupIdToken must not be empty';
  if (request.connectorType !== undefined && request.evseId !== undefined && request.evseId > 0) {
    // A connector type lets the station choose the EVSE; naming one as well says two things.
    return 'connectorType reserves any EVSE with such a connector; do not name an evseId with it';
  }
  return null;
}

export function newReservation(id: number, stationId: string, tenantId: string, request: ReservationRequest, now: Date): Reservation {
  return {
    id,
    tenantId,
    stationId,
    evseId: request.evseId ? request.evseId : null,
    connectorType: request.connectorType ?? null,
    idToken: request.idToken,
    idTokenType: request.idTokenType ?? null,
    groupIdToken: request.groupIdToken ?? null,
    groupIdTokenType: request.groupIdTokenType ?? null,
    expiresAt: new Date(request.expiresAt),
    state: 'requested',
    reason: null,
    commandId: null,
    transactionId: null,
    violations: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
    endedAt: null,
  };
}

export function isOpen(r: Pick<Reservation, 'state'>): boolean {
  return OPEN_STATES.includes(r.state);
}

const FINISHED_BY_STATION = new Set<ReservationState>(['refused', 'failed', 'used', 'cancelled', 'expired', 'removed']);

function moved(r: Reservation, state: ReservationState, at: Date, changes: Partial<Reservation> = {}): Reservation {
  return { ...r, ...changes, state, updatedAt: at, endedAt: FINISHED_BY_STATION.has(state) ? (r.endedAt ?? at) : null, version: r.version + 1 };
}

/** How the reserve command ended, in neutral words. */
export type ReserveOutcome =
  | { kind: 'answered'; accepted: boolean; status: string; info?: string }
  | { kind: 'failed'; error: string }
  | { kind: 'expired' };

/** The station's answer to the ReserveNow (or the command's failure) settles a requested reservation. */
export function settleRequest(r: Reservation, outcome: ReserveOutcome, commandId: string, at: Date): Decision {
  // The CSMS's clock may have expired it before the answer came: an answer cannot revive it.
  if (r.state === 'expired' && outcome.kind === 'answered' && outcome.accepted) return { ok: true, reservation: { ...r, commandId, version: r.version + 1, updatedAt: at } };
  if (r.state !== 'requested') return refuse(r, 'the reserve answer');
  switch (outcome.kind) {
    case 'answered': {
      const reason = outcome.info ? `${outcome.status}: ${outcome.info}` : outcome.status;
      return { ok: true, reservation: outcome.accepted ? moved(r, 'active', at, { commandId, reason: null }) : moved(r, 'refused', at, { commandId, reason }) };
    }
    case 'failed':
      return { ok: true, reservation: moved(r, 'failed', at, { commandId, reason: outcome.error }) };
    case 'expired':
      return { ok: true, reservation: moved(r, 'failed', at, { commandId, reason: 'the reserve command expired before the station connected' }) };
  }
}

export type EndState = 'cancelled' | 'expired' | 'removed';

/** The reservation ends without a transaction: cancelled by the operator, expired, or removed by the station. */
export function end(r: Reservation, state: EndState, reason: string | null, at: Date): Decision {
  if (!isOpen(r)) return refuse(r, state);
  return { ok: true, reservation: moved(r, state, at, { reason }) };
}

/**
 * A transaction carried the reservation's id: it is used. Evidence from the station outranks the
 * CSMS's own view, so a reservation the CSMS expired by its clock, or whose answer got lost (failed),
 * is used too; one the station refused, or that was cancelled or removed, is not.
 */
export function consume(r: Reservation, transactionId: string, at: Date): Decision {
  if (r.state === 'used') return r.transactionId === transactionId ? { ok: false, reason: 'already used by this transaction' } : refuse(r, `use by transaction ${transactionId}`);
  if (!['requested', 'active', 'expired', 'failed'].includes(r.state)) return refuse(r, `use by transaction ${transactionId}`);
  return { ok: true, reservation: moved(r, 'used', at, { transactionId, reason: null }) };
}

/** Records a transaction by another token on the reserved EVSE (once per transaction). */
export function violate(r: Reservation, violation: ReservationViolation): Decision {
  if (r.state !== 'active') return refuse(r, 'a violation');
  if (r.violations.some((v) => v.transactionId === violation.transactionId)) return { ok: false, reason: 'violation already recorded' };
  return { ok: true, reservation: { ...r, violations: [...r.violations, violation], updatedAt: violation.at, version: r.version + 1 } };
}

/** A transaction as the reservation checks see it (from the transactions capability's events). */
export interface TransactionFacts {
  transactionId: string;
  evseId: number | null;
  idToken: string | null;
  reservationId: number | null;
}

/** OCPP id tokens are case-insensitive identifiers. */
const sameToken = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export interface TransactionJudgement {
  /** The reservation the transaction uses: by its id, or by the reserved token on the reserved EVSE. */
  uses: Reservation | null;
  /** Active reservations of the EVSE the transaction started on with another token. */
  violates: Reservation[];
}

/**
 * What a transaction means for the station's open reservations. A reservation with a group token
 * is not judged violated: the other token may belong to the group, which only the station knows.
 * A reservation of any EVSE is not violated either: the station keeps one EVSE free, not a given one.
 */
export function judgeTransaction(open: readonly Reservation[], tx: TransactionFacts): TransactionJudgement {
  const token = tx.idToken;
  const onEvse = (r: Reservation) => r.evseId === null || r.evseId === tx.evseId;
  // A transaction that names a reservation uses that one (the caller looks it up when it is not open); else the reserved token on its EVSE does.
  const uses =
    (tx.reservationId !== null
      ? open.find((r) => r.id === tx.reservationId)
      : token === null
        ? undefined
        : open.find((r) => onEvse(r) && sameToken(r.idToken, token))) ?? null;
  const violates =
    token === null
      ? []
      : open.filter(
          (r) => r !== uses && r.id !== tx.reservationId && r.state === 'active' && r.evseId !== null && r.evseId === tx.evseId && r.groupIdToken === null && !sameToken(r.idToken, token),
        );
  return { uses, violates };
}

/**
 * Why a remote start by `idToken` on `evseId` must be refused: an active reservation holds that EVSE
 * for another token (without a group token, which may admit others only the station can tell).
 * Null when nothing stands in the way; a start without an EVSE lets the station choose, so it passes.
 */
export function startRefusal(open: readonly Reservation[], start: { evseId?: number; idToken: string }): string | null {
  if (start.evseId === undefined) return null;
  const holder = open.find(
    (r) => r.state === 'active' && r.evseId === start.evseId && r.groupIdToken === null && !sameToken(r.idToken, start.idToken),
  );
  return holder ? `EVSE ${start.evseId} is reserved for another token until ${holder.expiresAt.toISOString()} (reservation ${holder.id})` : null;
}

/**
 * A connector status that ends the reservations it concerns: the station terminates a reservation
 * when the reserved connector, or the whole station, becomes Faulted or Unavailable (OCPP 1.6 §5.13).
 */
export function endedByStatus(open: readonly Reservation[], status: { evseId: number; status: string }): Reservation[] {
  if (status.status !== 'Faulted' && status.status !== 'Unavailable') return [];
  return open.filter((r) => r.state === 'active' && (status.evseId === 0 || r.evseId === status.evseId));
}

/** Which open reservation holds each Reserved connector of the station (null when none the CSMS knows). */
export function holders(
  open: readonly Reservation[],
  connectors: ReadonlyArray<{ evseId: number; connectorId: number; status: string }>,
): Array<{ evseId: number; connectorId: number; reservationId: number | null }> {
  const active = open.filter((r) => r.state === 'active');
  return connectors
    .filter((c) => c.status === 'Reserved')
    .map((c) => {
      const exact = active.find((r) => r.evseId === c.evseId);
      // Only one reservation of any EVSE: it is the one the station keeps this connector for.
      const anyEvse = active.filter((r) => r.evseId === null);
      const holder = exact ?? (anyEvse.length === 1 ? anyEvse[0] : undefined);
      return { evseId: c.evseId, connectorId: c.connectorId, reservationId: holder ? holder.id : null };
    });
}

// --- Command parameters (the reserve and cancelReservation command kinds) -------------------

/** The reserve command's parameters: the request, and the id the CSMS fills in at submission. */
export type ReserveParams = ReservationRequest & { reservationId?: number };

export type CancelParams = { reservationId: number };
