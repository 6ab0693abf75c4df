/** The config-templates capability's domain events (the bus: src/cluster/event-bus.ts). */
export {};

declare module '../../cluster/event-bus.ts' {
  interface DomainEventMap {
    /** A station's reconciliation with its templates settled: how many keys were in sync, drifted, fixed and not fixed. */
    'station.configuration-reconciled': { stationId: string; total: number; inSync: number; drifted: number; fixed: number; notFixed: number };
  }
}
