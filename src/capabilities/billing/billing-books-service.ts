/**
 * Keeps the books without anyone asking: a transaction is pinned to its tariff when it starts, and
 * its CDR is written when it ends or changes after its end (a real stop after the CSMS's estimate).
 * Events can be lost (a node stops between the transaction's write and its event's handling), so a
 * sweep closes the books of every transaction that needs it: everything at start, then every
 * `intervalMs` the transactions stopped in the last week. On a cluster one node sweeps (a lease);
 * the numbering of CDRs makes a doubled close harmless anyway.
 */
import type { Logger } from 'pino';
import type { DomainEvent, EventBus } from '../../cluster/event-bus.ts';
import type { Clock, TimerHandle, Timers } from '../../kernel/time.ts';
import { JoinedRun, TrackedWork } from '../../kernel/tracked-work.ts';
import type { BillingService } from './billing-service.ts';
import type { Transaction } from '../transactions/index.ts';

const RECENT_MS = 7 * 24 * 3600_000;

export interface BooksDeps {
  billing: BillingService;
  transactions: { transaction(id: string): Promise<Transaction | null> };
  events: EventBus;
  clock: Clock;
  timers: Timers;
  log: Logger;
  intervalMs: number;
  /** On a cluster: whether this node sweeps now. */
  lease?: { acquire(ttlMs: number): Promise<boolean> };
}

export class BooksKeeper {
  private unsubscribe: (() => void) | null = null;
  private timer: TimerHandle | null = null;
  private readonly work: TrackedWork;
  private readonly sweeps = new JoinedRun<number>();
  private readonly log: Logger;

  constructor(private readonly deps: BooksDeps) {
    this.log = deps.log.child({ component: 'billing' });
    this.work = new TrackedWork((error, context) => this.log.error({ err: error, ...context }, `billing: ${String(context?.what ?? 'work')} failed; the sweep retries`));
  }

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((event) => this.onEvent(event), { types: ['transaction.started', 'transaction.updated', 'transaction.ended'] });
    this.track(this.sweepOnce(null));
    this.timer = this.deps.timers.setInterval(() => this.track(this.sweepOnce(new Date(this.deps.clock().getTime() - RECENT_MS))), this.deps.intervalMs);
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) this.deps.timers.clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  /** Resolves when the work started so far is done (tests). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** One sweep (a second call while one runs joins it). */
  sweepOnce(since: Date | null): Promise<number> {
    return this.sweeps.run(() =>
      (async () => {
        if (this.deps.lease && !(await this.deps.lease.acquire(this.deps.intervalMs * 3))) return 0;
        const closed = await this.deps.billing.sweep(since);
        if (closed > 0) this.log.info({ closed }, 'books closed by the sweep');
        return closed;
      })().catch((error: unknown) => {
        this.log.error({ err: error }, 'billing sweep failed; the next one retries');
        return 0;
      }),
    );
  }

  private onEvent(event: DomainEvent): void {
    if (event.type !== 'transaction.started' && event.type !== 'transaction.updated' && event.type !== 'transaction.ended') return;
    const { transactionId, stationId } = event;
    if (event.type === 'transaction.started') {
      this.track(this.pin(transactionId), { stationId, transactionId, what: 'pinning its tariff' });
    } else if (event.type === 'transaction.ended' || event.state === 'completed') {
      this.track(this.deps.billing.closeBooks(transactionId), { stationId, transactionId, what: 'writing its CDR' });
    }
  }

  private async pin(transactionId: string): Promise<void> {
    const tx = await this.deps.transactions.transaction(transactionId);
    if (tx) await this.deps.billing.pinOf(tx);
  }

  private track(work: Promise<unknown>, context?: { stationId: string; transactionId: string; what: string }): void {
    void this.work.track(work, context);
  }
}
