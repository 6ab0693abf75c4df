/**
 * The daily run: once the configured UTC hour has passed, the previous day is reconciled over
 * every tenant and its summaries stored. Checked at start and every few minutes on the injected
 * timers, so a node that was down at the hour still makes the day's run when it comes back; on a
 * cluster one node runs it (a lease), and the stored run (unique per tenant and day) makes a
 * second run of the same day - another node's, a restart's - write nothing.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle, Timers } from '../../kernel/time.ts';
import { duePeriod, type Period } from './reconciliation.ts';

/** How often the job looks whether a day's run is owed (cheap: remembered once done). */
export const DAILY_CHECK_MS = 5 * 60_000;
/** The lease outlives a long run (a million sessions reconcile in well under this). */
const LEASE_MS = 30 * 60_000;

export interface DailyDeps {
  reconciliation: { runDaily(period: Period): Promise<unknown> };
  clock: Clock;
  timers: Timers;
  log: Logger;
  /** UTC hour after which the previous day is reconciled. */
  atHour: number;
  lease?: { acquire(ttlMs: number): Promise<boolean> };
}

export class DailyReconciliation {
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  /** The last period known to be stored (by this node or another): no query until the next day is due. */
  private done: number | null = null;
  private readonly log: Logger;

  constructor(private readonly deps: DailyDeps) {
    this.log = deps.log.child({ component: 'reconciliation' });
  }

  start(): void {
    void this.check();
    this.timer = this.deps.timers.setInterval(() => void this.check(), DAILY_CHECK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) this.deps.timers.clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  /** Resolves when a run in progress is done (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Runs the owed day's reconciliation if it is not stored yet (a check while one runs joins it). */
  check(): Promise<void> {
    if (this.running) return this.running;
    const period = duePeriod(this.deps.clock(), this.deps.atHour);
    if (this.done === period.from.getTime()) return Promise.resolve();
    this.running = (async () => {
      if (this.deps.lease && !(await this.deps.lease.acquire(LEASE_MS))) return;
      await this.deps.reconciliation.runDaily(period);
      this.done = period.from.getTime();
    })()
      .catch((error: unknown) => this.log.error({ err: error, from: period.from }, 'daily reconciliation failed; the next check retries'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
