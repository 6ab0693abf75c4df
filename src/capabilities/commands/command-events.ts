/** The commands capability's domain events (the bus: src/cluster/event-bus.ts). */
export {};

declare module '../../cluster/event-bus.ts' {
  interface DomainEventMap {
    /** A command reached a final state (accepted, rejected, failed, expired). */
    'command.finished': { stationId: string; commandId: string; commandType: string; state: string; error: string | null };
  }
}
