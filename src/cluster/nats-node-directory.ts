/**
 * Which nodes are alive. Every node writes a heartbeat into a small KV bucket
 * and watches it; a node whose heartbeat is older than the TTL (SIGKILL, lost
 * network) or that deleted its key (clean stop) is dead. Registry entries of
 * a dead node are then ignored, and calls in flight to it fail at once.
 *
 * Traffic: nodes x nodes heartbeats per interval, independent of the number
 * of stations.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { openBucket, subjectToken } from './nats-connection.ts';

const NODES_BUCKET = 'chargebridge_nodes';

export interface NodeDirectorySettings {
  heartbeatMs: number;
  /** A node unheard of for this long is dead. */
  ttlMs: number;
}

export class NodeDirectory {
  private kv!: KV;
  /** Local receive time of each node's last heartbeat (local clock, so node clocks need not agree). */
  private readonly lastSeen = new Map<string, number>();
  private readonly deathListeners = new Set<(nodeId: string) => void>();
  private heartbeat?: NodeJS.Timeout;
  private watcher?: { stop(): void };
  private readonly key: string;

  constructor(
    private readonly nc: NatsConnection,
    readonly nodeId: string,
    private readonly settings: NodeDirectorySettings,
  ) {
    this.key = subjectToken(nodeId);
  }

  async start(): Promise<void> {
    this.kv = await openBucket(this.nc, NODES_BUCKET, { history: 1, ttl: Math.max(this.settings.ttlMs * 10, 60_000) });
    await this.beat();
    const watch = await this.kv.watch();
    this.watcher = watch;
    void (async () => {
      for await (const entry of watch) {
        if (entry.key === this.key) continue;
        if (entry.operation !== 'PUT') {
          this.declareDead(entry.key);
          continue;
        }
        // The initial replay carries old heartbeats: date them by the server, later ones by arrival.
        this.lastSeen.set(entry.key, entry.isUpdate ? Date.now() : Math.min(Date.now(), entry.created.getTime()));
      }
    })().catch(() => undefined);
    this.heartbeat = setInterval(() => {
      void this.beat().catch(() => undefined);
      this.reapSilent();
    }, this.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  isAlive(nodeId: string): boolean {
    const key = subjectToken(nodeId);
    if (key === this.key) return true;
    const seen = this.lastSeen.get(key);
    return seen !== undefined && Date.now() - seen < this.settings.ttlMs;
  }

  onDeath(listener: (nodeId: string) => void): () => void {
    this.deathListeners.add(listener);
    return () => this.deathListeners.delete(listener);
  }

  /** Nodes currently considered alive, this one included. */
  aliveNodes(): string[] {
    return [this.key, ...[...this.lastSeen.keys()].filter((key) => this.isAlive(key))];
  }

  private beat(): Promise<unknown> {
    return this.kv.put(this.key, JSON.stringify({ nodeId: this.nodeId, at: new Date().toISOString() }));
  }

  private reapSilent(): void {
    for (const key of [...this.lastSeen.keys()]) if (!this.isAlive(key)) this.declareDead(key);
  }

  private declareDead(key: string): void {
    if (!this.lastSeen.delete(key)) return;
    for (const listener of this.deathListeners) listener(key);
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.watcher?.stop();
    // A clean stop says so at once; the others need not wait for the TTL.
    await this.kv?.delete(this.key).catch(() => undefined);
  }
}
