/** The reservations capability, as other capabilities and the composition root see it. */
export { reservationModule } from './reservation-module.ts';
