/** Row types of the reservations capability's tables (migration 0025-reservations). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ReservationTables {}
