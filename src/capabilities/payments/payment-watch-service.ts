/**
 * Drives holds from what happens elsewhere: a session started with a hold's token is linked to it,
 * its progress may ask for an increment, its CDR settles it; and a sweep every
 * `payments.sweepIntervalSec` repairs what a crash or a lost event left half done (one node on a
 * cluster: a lease; the hold's version and the gateway's idempotency keys make overlap harmless).
 */
import type { Logger } from 'pino';
import type { DomainEvent, EventBus } from '../../cluster/event-bus.ts';
import type { TimerHandle, Timers } from '../../kernel/time.ts';
import { JoinedRun, TrackedWork } from '../../kernel/tracked-work.ts';
import type { PaymentService } from './payment-service.ts';
import '../billing/index.ts';

export class PaymentWatch {
  private unsubscribe: (() => void) | null = null;
  private timer: TimerHandle | null = null;
  private readonly work: TrackedWork;
  private readonly sweeps = new JoinedRun<number>();
  /** Open sessions paid by a hold: only their progress is priced for increments (not every meter value of the network). */
  private readonly paid = new Set<string>();

  constructor(
    private readonly deps: {
      payments: PaymentService;
      events: EventBus;
      timers: Timers;
      log: Logger;
      intervalMs: number;
      /** Tokens of paid sessions start with this (the transaction events carry the token). */
      tokenPrefix: string;
      lease?: { acquire(ttlMs: number): Promise<boolean> };
    },
  ) {
    this.work = new TrackedWork((error) => this.deps.log.error({ err: error, component: 'payments' }, 'payment step failed; the sweep retries'));
  }

  async start(): Promise<void> {
    for (const transactionId of await this.deps.payments.openPaidSessions()) this.paid.add(transactionId);
    this.unsubscribe = this.deps.events.subscribe((event) => this.onEvent(event), { types: ['transaction.started', 'transaction.updated', 'cdr.created'] });
    this.timer = this.deps.timers.setInterval(() => void this.sweepOnce(), this.deps.intervalMs);
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) this.deps.timers.clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  idle(): Promise<void> {
    return this.work.idle();
  }

  /** One sweep (a second call while one runs joins it). */
  sweepOnce(): Promise<number> {
    return this.sweeps.run(async () => {
      const touched = await this.work.track(
        (async () => {
          if (this.deps.lease && !(await this.deps.lease.acquire(this.deps.intervalMs * 3))) return 0;
          return this.deps.payments.sweep();
        })(),
      );
      return touched ?? 0;
    });
  }

  private onEvent(event: DomainEvent): void {
    if ((event.type === 'transaction.started' || event.type === 'transaction.updated') && event.state !== 'completed') {
      // 2.x may name the token only in a later event than the start: link on whichever carries it first.
      const { transactionId, idToken } = event;
      const link = idToken?.startsWith(this.deps.tokenPrefix) && !this.paid.has(transactionId) ? this.deps.payments.onSessionStarted(transactionId, idToken) : Promise.resolve(this.paid.has(transactionId));
      this.track(
        link.then((paid) => {
          if (!paid) return;
          this.paid.add(transactionId);
          return this.deps.payments.onSessionProgress(transactionId);
        }),
      );
    } else if (event.type === 'cdr.created' && event.kind === 'debit') {
      this.paid.delete(event.transactionId);
      this.track(this.deps.payments.onCdr(event.transactionId));
    }
  }

  private track(work: Promise<unknown>): void {
    void this.work.track(work);
  }
}
