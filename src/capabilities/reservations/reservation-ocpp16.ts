/**
 * OCPP 1.6 (Reservation profile) <-> reservations: ReserveNow and CancelReservation as CALLs of the
 * reserve and cancelReservation command kinds. 1.6 has no ReservationStatusUpdate: the end of a
 * reservation shows in StartTransaction.reservationId (read by the transactions capability), in
 * connector statuses, or only in the CSMS's own clock.
 */
import { ocppCall } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type TranslatedCommand } from '../commands/index.ts';
import type { CancelParams, ReserveParams } from './reservation.ts';

/** 1.6 idTag and parentIdTag are CiString20Type. */
const ID_TAG_MAX = 20;
const ACCEPTED: ReadonlySet<string> = new Set(['Accepted']);
const cannot = (error: string): TranslatedCommand => ({ ok: false, error });

export function reserveCall16(p: ReserveParams): TranslatedCommand {
  if (p.reservationId === undefined) return cannot('the reservation id is assigned at submission; it is missing');
  if (p.connectorType !== undefined) return cannot('OCPP 1.6 ReserveNow cannot reserve by connector type');
  if (p.idToken.length > ID_TAG_MAX) return cannot(`an OCPP 1.6 idTag has at most ${ID_TAG_MAX} characters; idToken has ${p.idToken.length}`);
  if (p.groupIdToken !== undefined && p.groupIdToken.length > ID_TAG_MAX) return cannot(`an OCPP 1.6 parentIdTag has at most ${ID_TAG_MAX} characters`);
  const payload = {
    // Connector 0: the station keeps any connector free for the token (when it supports it).
    connectorId: p.evseId ?? 0,
    expiryDate: new Date(p.expiresAt).toISOString(),
    idTag: p.idToken,
    reservationId: p.reservationId,
    ...(p.groupIdToken !== undefined ? { parentIdTag: p.groupIdToken } : {}),
  };
  return commandCall(ocppCall('1.6', 'ReserveNow', payload, (answer) => ({ status: answer.status })), ACCEPTED);
}

export function cancelReservationCall16(p: CancelParams): TranslatedCommand {
  return commandCall(ocppCall('1.6', 'CancelReservation', { reservationId: p.reservationId }, (answer) => ({ status: answer.status })), ACCEPTED);
}
