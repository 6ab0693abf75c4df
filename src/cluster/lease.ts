/**
 * Background work that must run on one node at a time in a cluster (command
 * expiry, stuck-transaction sweeps, later firmware campaigns) holds a named
 * lease (ADR 0013). The holder renews it on every run; when the holder dies
 * its lease runs out and another node takes it over. A lease is not a fence:
 * a holder stalled past its TTL may overlap one run with its successor, so
 * the work itself stays idempotent (compare-and-set writes).
 */
import type { Logger } from 'pino';

export interface Leases {
  /** Who this node is in the leases' records. */
  readonly holder: string;
  /** Takes the lease, or renews it if this node holds it; true when this node holds it for the next `ttlMs`. */
  acquire(name: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (clean stop), so a successor need not wait for it to run out. */
  release(name: string): Promise<void>;
}

/** One node: every lease is ours. */
export class LocalLeases implements Leases {
  constructor(readonly holder = 'local') {}

  async acquire(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}
}

export interface SingletonJobOptions {
  name: string;
  intervalMs: number;
  /** Lease time; three intervals by default, so one slow run does not lose the lease. */
  ttlMs?: number;
  log: Logger;
}

/**
 * Runs `work` every interval on whichever node holds the lease `name`; the
 * other nodes only try to take the lease. Ready for any cluster-wide sweep.
 */
export class SingletonJob {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private held = false;

  constructor(
    private readonly leases: Leases,
    private readonly options: SingletonJobOptions,
    private readonly work: () => Promise<void>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** One round: take or renew the lease, and work if held. Returns whether this node worked. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const held = await this.leases.acquire(this.options.name, this.options.ttlMs ?? this.options.intervalMs * 3);
        if (held !== this.held) this.options.log.info({ job: this.options.name, holder: this.leases.holder, held }, held ? 'singleton job lease taken' : 'singleton job lease lost');
        this.held = held;
        if (held) await this.work();
      } catch (error) {
        this.options.log.error({ job: this.options.name, err: error }, 'singleton job failed');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    if (this.held) await this.leases.release(this.options.name).catch(() => undefined);
    this.held = false;
  }
}
