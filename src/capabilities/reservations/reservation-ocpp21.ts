/**
 * OCPP 2.1 <-> reservations. ReserveNow, CancelReservation and ReservationStatusUpdate keep their
 * 2.0.1 shape; idToken grows to 255 characters, IdTokenType.type and connectorType become free
 * strings of up to 20, and ReservationStatusUpdate gains NoTransaction. So the 2.0.1 translation
 * serves with these limits.
 */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { DIALECT_21 } from '../commands/index.ts';
import { reservationHandlers2x, type ReservationDialect } from './reservation-ocpp201.ts';
import type { ReservationService } from './reservation-service.ts';

export const RESERVATION_DIALECT_21: ReservationDialect = {
  version: '2.1',
  idTokenMax: DIALECT_21.idTokenMax,
  idTokenTypes: DIALECT_21.idTokenTypes,
  connectorTypes: { maxLength: 20 },
};

export function reservationHandlers21(service: ReservationService): OcppHandlerTable<'2.1'> {
  return { version: '2.1', owner: 'reservations', handlers: reservationHandlers2x(service) };
}
