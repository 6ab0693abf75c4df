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
/**
 * Every domain event by type. The bus knows no capability: each capability declares its own
 * events in its `<capability>-events.ts` by augmenting this interface
 * (`declare module '../../cluster/event-bus.ts' { interface DomainEventMap { ... } }`), so the
 * events are typed where they are published and read, and a new capability adds its own.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface DomainEventMap {}

/** One event: its type and `at` (ISO time), plus the fields its capability declared. */
export type DomainEvent = { [T in keyof DomainEventMap]: { type: T; at: string } & DomainEventMap[T] }[keyof DomainEventMap];

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
