/**
 * Domain events (station connected, status changed, ...) published by services
 * and consumed by other capabilities and the live console stream. In-process
 * here; a cluster implementation fans them out across nodes.
 */
export type DomainEvent =
  | { type: 'station.connected'; stationId: string; at: string; ocppVersion: string }
  | { type: 'station.disconnected'; stationId: string; at: string; reason: string }
  | { type: 'station.booted'; stationId: string; at: string; registrationStatus: string; reason: string | null }
  | {
      type: 'station.status-changed';
      stationId: string;
      at: string;
      evseId: number;
      connectorId: number;
      status: string;
      ocppStatus: string | null;
    }
  | {
      type: 'transaction.started' | 'transaction.updated' | 'transaction.ended';
      stationId: string;
      at: string;
      transactionId: string;
      evseId: number | null;
      energyWh: number | null;
      /** The CSMS closed it (stuck session): energyWh is an estimate a later real stop may correct. */
      estimated?: boolean;
    };

export type DomainEventListener = (event: DomainEvent) => void;

export interface EventBus {
  publish(event: DomainEvent): void;
  subscribe(listener: DomainEventListener): () => void;
}

export class InProcessEventBus implements EventBus {
  private readonly listeners = new Set<DomainEventListener>();

  publish(event: DomainEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A faulty subscriber must not break the publisher or other subscribers.
      }
    }
  }

  subscribe(listener: DomainEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
