/**
 * Domain events (station connected, status changed, ...) published by services
 * and consumed by other capabilities and the live console stream. In-process
 * here; the NATS implementation (event-bus-nats.ts) fans them out across nodes.
 *
 * Scopes: a 'local' subscriber (the default) sees only events published on
 * this node. Station events are published by the node that holds the
 * station's socket, so per-station work (command delivery on connect, local
 * list sync on boot) runs exactly once, where the socket is. A 'cluster'
 * subscriber (live views, cache invalidation) sees every node's events.
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
      /** Neutral: preparing, charging, suspended-by-ev, suspended-by-station, finishing (stations' ConnectorActivity). */
      activity: string | null;
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
    }
  | {
      /** A command reached a final state (accepted, rejected, failed, expired). */
      type: 'command.finished';
      stationId: string;
      at: string;
      commandId: string;
      commandType: string;
      state: string;
      error: string | null;
    }
  | {
      /** An operator changed a station (REST): the node holding its socket refreshes what it keeps in memory. */
      type: 'station.updated';
      stationId: string;
      at: string;
      registrationStatus?: string;
      siteId?: string | null;
    }
  | {
      /** Autocharge was switched for a site on some node: the others update their switch. */
      type: 'authorization.autocharge-site-changed';
      at: string;
      siteId: string;
      enabled: boolean;
    }
  | {
      /** Tokens were written on some node: other nodes refresh their in-memory index (null: reload all). */
      type: 'authorization.tokens-changed';
      at: string;
      idTokens: string[] | null;
    }
  | {
      /** Offline authorization settings of a site or station were set or dropped on some node. */
      type: 'authorization.offline-settings-changed';
      at: string;
      scope: 'site' | 'station';
      scopeId: string;
      present: boolean;
    };

export interface EventOrigin {
  /** Published on this node. */
  local: boolean;
  nodeId: string;
}

export type DomainEventListener = (event: DomainEvent, origin: EventOrigin) => void;

export type EventScope = 'local' | 'cluster';

export interface SubscribeOptions {
  scope?: EventScope;
  /** Only these event types (a cluster subscriber then receives no other node's traffic). */
  types?: ReadonlyArray<DomainEvent['type']>;
}

export interface EventBus {
  publish(event: DomainEvent): void;
  subscribe(listener: DomainEventListener, options?: SubscribeOptions): () => void;
}

export function wants(options: SubscribeOptions | undefined, event: DomainEvent): boolean {
  return !options?.types || options.types.includes(event.type);
}

/** Calls each listener that wants the event; a faulty subscriber must not break the publisher or other subscribers. */
export function deliver(listeners: Iterable<[DomainEventListener, SubscribeOptions | undefined]>, event: DomainEvent, origin: EventOrigin): void {
  for (const [listener, options] of listeners) {
    if (!wants(options, event)) continue;
    try {
      listener(event, origin);
    } catch {
      // ignored: see above
    }
  }
}

/** One node: every event is local, so both scopes see everything. */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Map<DomainEventListener, SubscribeOptions | undefined>();
  private readonly origin: EventOrigin;

  constructor(nodeId = 'local') {
    this.origin = { local: true, nodeId };
  }

  publish(event: DomainEvent): void {
    deliver(this.listeners, event, this.origin);
  }

  subscribe(listener: DomainEventListener, options?: SubscribeOptions): () => void {
    this.listeners.set(listener, options);
    return () => this.listeners.delete(listener);
  }
}
