/**
 * OCPP 2.0.1 (H01-H04) <-> reservations: ReserveNow and CancelReservation as CALLs of the reserve and
 * cancelReservation command kinds, and the inbound ReservationStatusUpdate. OCPP 2.1 keeps the
 * messages with wider limits (and one more update status), so both versions share this file's
 * functions with their own limits (reservation-ocpp21.ts).
 */
import { ocppCall, type OcppHandlerTable, type OcppSharedHandlers } from '../../ocpp/ocpp-handler.ts';
import { DIALECT_201, commandCall, idTokenProblem, statusWithReason, type TranslatedCommand } from '../commands/index.ts';
import type { CancelParams, ReserveParams } from './reservation.ts';
import type { ReservationService, StationEnd } from './reservation-service.ts';

export type Ocpp2x = '2.0.1' | '2.1';

/** What differs between 2.0.1 and 2.1 for these messages. */
export interface ReservationDialect {
  version: Ocpp2x;
  idTokenMax: number;
  /** IdTokenType.type: an enum in 2.0.1, free text of up to 20 in 2.1. */
  idTokenTypes: readonly string[] | { maxLength: number };
  /** connectorType: ConnectorEnumType in 2.0.1, free text of up to 20 in 2.1. */
  connectorTypes: readonly string[] | { maxLength: number };
}

export const RESERVATION_DIALECT_201: ReservationDialect = {
  version: '2.0.1',
  idTokenMax: DIALECT_201.idTokenMax,
  idTokenTypes: DIALECT_201.idTokenTypes,
  connectorTypes: [
    'cCCS1', 'cCCS2', 'cG105', 'cTesla', 'cType1', 'cType2', 's309-1P-16A', 's309-1P-32A', 's309-3P-16A', 's309-3P-32A', 'sBS1361', 'sCEE-7-7',
    'sType2', 'sType3', 'Other1PhMax16A', 'Other1PhOver16A', 'Other3Ph', 'Pan', 'wInductive', 'wResonant', 'Undetermined', 'Unknown',
  ],
};

/** A reservation names no physical token unless told: "Central" is the 2.x type for a CSMS-issued id. */
const DEFAULT_ID_TOKEN_TYPE = 'Central';
const ACCEPTED: ReadonlySet<string> = new Set(['Accepted']);
const cannot = (error: string): TranslatedCommand => ({ ok: false, error });

const allowed = (rule: readonly string[] | { maxLength: number }, value: string) => (Array.isArray(rule) ? rule.includes(value) : value.length <= (rule as { maxLength: number }).maxLength);
const describe = (rule: readonly string[] | { maxLength: number }) => (Array.isArray(rule) ? rule.join(', ') : `at most ${(rule as { maxLength: number }).maxLength} characters`);

type IdToken201 = { idToken: string; type: 'Central' };

export function reserveCall2x(d: ReservationDialect, p: ReserveParams): TranslatedCommand {
  const version = `OCPP ${d.version}`;
  if (p.reservationId === undefined) return cannot('the reservation id is assigned at submission; it is missing');
  const tokens: Array<[string, string, string | undefined]> = [['idToken', p.idToken, p.idTokenType]];
  if (p.groupIdToken !== undefined) tokens.push(['groupIdToken', p.groupIdToken, p.groupIdTokenType]);
  for (const [name, value, type] of tokens) {
    const problem = idTokenProblem(d, value, type ?? DEFAULT_ID_TOKEN_TYPE, name);
    if (problem) return cannot(problem);
  }
  if (p.connectorType !== undefined && !allowed(d.connectorTypes, p.connectorType)) {
    return cannot(`connectorType "${p.connectorType}" is not an ${version} connector type (${describe(d.connectorTypes)})`);
  }
  // The types were checked against the dialect above (an enum in 2.0.1, free text in 2.1).
  const token = (value: string, type: string | undefined) => ({ idToken: value, type: (type ?? DEFAULT_ID_TOKEN_TYPE) as IdToken201['type'] });
  const payload = {
    id: p.reservationId,
    expiryDateTime: new Date(p.expiresAt).toISOString(),
    idToken: token(p.idToken, p.idTokenType),
    ...(p.evseId !== undefined && p.evseId > 0 ? { evseId: p.evseId } : {}),
    ...(p.connectorType !== undefined ? { connectorType: p.connectorType as 'cCCS1' } : {}),
    ...(p.groupIdToken !== undefined ? { groupIdToken: token(p.groupIdToken, p.groupIdTokenType) } : {}),
  };
  return commandCall(ocppCall(d.version, 'ReserveNow', payload, statusWithReason), ACCEPTED);
}

export function cancelReservationCall2x(d: ReservationDialect, p: CancelParams): TranslatedCommand {
  return commandCall(ocppCall(d.version, 'CancelReservation', { reservationId: p.reservationId }, statusWithReason), ACCEPTED);
}

/** ReservationUpdateStatusEnumType -> how the reservation ended (2.1's NoTransaction ends it without a transaction, like Removed). */
const ENDS: Readonly<Record<string, StationEnd>> = { Expired: 'expired', Removed: 'removed', NoTransaction: 'removed' };

export function reservationHandlers2x(service: ReservationService): OcppSharedHandlers<Ocpp2x, 'ReservationStatusUpdate'> {
  return {
    ReservationStatusUpdate: async (ctx, req) => {
      const end = ENDS[req.reservationUpdateStatus] ?? 'removed';
      await service.endedByStation(ctx.stationId, req.reservationId, end, req.reservationUpdateStatus, ctx.receivedAt, ctx.log);
      // The CSMS acknowledges every update, one it does not know included (it was logged).
      return {};
    },
  };
}

export function reservationHandlers201(service: ReservationService): OcppHandlerTable<'2.0.1'> {
  return { version: '2.0.1', owner: 'reservations', handlers: reservationHandlers2x(service) };
}
