/** The reservations capability, as other capabilities and the composition root see it. */
export { reservationModule, RESERVATION_SWEEP_MS, type ReservationModule } from './reservation-module.ts';
export { ReservationService } from './reservation-service.ts';
export { SqlReservationRepository } from './reservation-repository-sql.ts';
export type { Reservation, ReservationState } from './reservation.ts';
