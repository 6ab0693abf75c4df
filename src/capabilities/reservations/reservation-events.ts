/** The reservations capability's domain events (the bus: src/cluster/event-bus.ts). */
export {};

declare module '../../cluster/event-bus.ts' {
  interface DomainEventMap {
    /** A reservation changed state, or a violation was recorded on it. */
    'reservation.changed': { stationId: string; reservationId: number; state: string; evseId: number | null };
  }
}
