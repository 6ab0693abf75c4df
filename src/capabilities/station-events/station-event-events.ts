/** The station-events capability's domain events (the bus: src/cluster/event-bus.ts). */
export {};

declare module '../../cluster/event-bus.ts' {
  interface DomainEventMap {
    /** A station reported an event outside transactions (kind: StationEventKind). */
    'station.event-recorded': { stationId: string; eventId: string; kind: string; eventType: string; problem: boolean };
    /** A fault was raised on, or cleared from, a station, an EVSE or a connector. */
    'station.problem-changed': { stationId: string; key: string; raised: boolean; evseId: number | null; connectorId: number | null; summary: string };
  }
}
