/**
 * EventBus across nodes (ADR 0012). An event is delivered to this node's
 * listeners synchronously, as in one process, and published once on
 * `chargebridge.events.<type>`. Other nodes receive it only while they have a
 * 'cluster' subscriber for it: a node subscribes to NATS per subject on
 * demand (all events, or the listed types), so a node without a live console
 * receives nothing but the few event types it caches (token changes).
 * OCPP messages never cross: only domain events do.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { deliver, type DomainEvent, type DomainEventListener, type EventBus, type EventOrigin, type SubscribeOptions } from './event-bus.ts';
import { eventSubject, SUBJECT_PREFIX } from './nats-connection.ts';
import { decodeJson, encodeJson } from './cluster-nats-wire.ts';

interface Envelope {
  nodeId: string;
  event: DomainEvent;
}

interface RemoteFeed {
  subscription: Subscription;
  listeners: Map<DomainEventListener, SubscribeOptions>;
}

export class NatsEventBus implements EventBus {
  private readonly listeners = new Map<DomainEventListener, SubscribeOptions | undefined>();
  /** One NATS subscription per subject with cluster listeners on it. */
  private readonly feeds = new Map<string, RemoteFeed>();
  private readonly localOrigin: EventOrigin;

  constructor(
    private readonly nc: NatsConnection,
    private readonly nodeId: string,
  ) {
    this.localOrigin = { local: true, nodeId };
  }

  publish(event: DomainEvent): void {
    deliver(this.listeners, event, this.localOrigin);
    if (this.nc.isClosed()) return;
    try {
      this.nc.publish(eventSubject(event.type), encodeJson({ nodeId: this.nodeId, event } satisfies Envelope));
    } catch {
      // NATS away and its buffer full: other nodes miss this event; this node's listeners already had it.
    }
  }

  subscribe(listener: DomainEventListener, options?: SubscribeOptions): () => void {
    this.listeners.set(listener, options);
    if (options?.scope !== 'cluster') return () => this.listeners.delete(listener);
    const subjects = options.types ? options.types.map(eventSubject) : [`${SUBJECT_PREFIX}.events.>`];
    for (const subject of subjects) this.feed(subject).listeners.set(listener, options);
    return () => {
      this.listeners.delete(listener);
      for (const subject of subjects) {
        const feed = this.feeds.get(subject);
        if (!feed) continue;
        feed.listeners.delete(listener);
        if (feed.listeners.size > 0) continue;
        feed.subscription.unsubscribe();
        this.feeds.delete(subject);
      }
    };
  }

  /** Subscribes to a subject once; a message from this node was already delivered locally. */
  private feed(subject: string): RemoteFeed {
    const existing = this.feeds.get(subject);
    if (existing) return existing;
    const listeners = new Map<DomainEventListener, SubscribeOptions>();
    const subscription = this.nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error) return;
        let envelope: Envelope;
        try {
          envelope = decodeJson<Envelope>(msg.data);
        } catch {
          return;
        }
        if (envelope.nodeId === this.nodeId) return;
        deliver(listeners, envelope.event, { local: false, nodeId: envelope.nodeId });
      },
    });
    const feed = { subscription, listeners };
    this.feeds.set(subject, feed);
    return feed;
  }

  /** Makes sure the server has our subscriptions (tests publish right after subscribing). */
  flush(): Promise<void> {
    return this.nc.flush();
  }

  close(): void {
    for (const feed of this.feeds.values()) feed.subscription.unsubscribe();
    this.feeds.clear();
    this.listeners.clear();
  }
}
