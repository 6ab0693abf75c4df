/** The stations capability's domain events (the bus: src/cluster/event-bus.ts). */
export {};

declare module '../../cluster/event-bus.ts' {
  interface DomainEventMap {
    'station.connected': { stationId: string; ocppVersion: string };
    'station.disconnected': { stationId: string; reason: string };
    'station.booted': { stationId: string; registrationStatus: string; reason: string | null };
    'station.status-changed': {
      stationId: string;
      evseId: number;
      connectorId: number;
      status: string;
      /** Neutral: preparing, charging, suspended-by-ev, suspended-by-station, finishing (ConnectorActivity). */
      activity: string | null;
      /** The version's own status, for display. */
      ocppStatus: string | null;
    };
    /** An operator changed a station (REST): the node holding its socket refreshes what it keeps in memory. */
    'station.updated': { stationId: string; registrationStatus?: string; siteId?: string | null };
  }
}
