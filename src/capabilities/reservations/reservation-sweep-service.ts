/**
 * The expiry sweep: a station expires its reservations itself, and a 1.6 station says nothing when
 * it does, so the CSMS marks active reservations past their expiry expired on its own clock. One
 * node of a cluster sweeps (the lease holder); the update is idempotent either way.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle, Timers } from '../../kernel/time.ts';
import type { ReservationRepository } from './reservation-repository.ts';
import type { ReservationService } from './reservation-service.ts';

export const EXPIRED_BY_CSMS = 'expiry time passed (the CSMS expired it)';

export interface ReservationSweepDeps {
  service: ReservationService;
  repo: ReservationRepository;
  clock: Clock;
  timers: Timers;
  log: Logger;
  /** Cluster: take the sweep lease first; absent: this node is alone. */
  lease?: { acquire(ttlMs: number): Promise<boolean> };
}

export class ReservationSweep {
  private timer: TimerHandle | null = null;
  /** Asked to sweep while a pass ran. */
  private again = false;
  private readonly log: Logger;

  constructor(
    private readonly deps: ReservationSweepDeps,
    private readonly intervalMs: number,
  ) {
    this.log = deps.log.child({ component: 'reservations' });
  }

  start(): void {
    this.timer = this.deps.timers.setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.deps.timers.clearInterval(this.timer);
    this.timer = null;
    await this.deps.service.sweeping;
  }

  /** One pass; asked while one runs, that one passes once more (the clock moved meanwhile) and is the one returned. */
  sweep(): Promise<unknown> {
    const service = this.deps.service;
    if (service.sweeping) {
      this.again = true;
      return service.sweeping;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          await this.once();
        } while (this.again);
      } finally {
        service.sweeping = null;
      }
    })();
    service.sweeping = run;
    return run;
  }

  private async once(): Promise<void> {
    try {
      if (this.deps.lease && !(await this.deps.lease.acquire(Math.max(this.intervalMs * 3, 5000)))) return;
      const expired = await this.deps.repo.expireDue(this.deps.clock(), EXPIRED_BY_CSMS);
      for (const reservation of expired) this.deps.service.published(reservation);
      if (expired.length > 0) this.log.info({ expired: expired.map((r) => r.id) }, 'reservations expired');
    } catch (error) {
      this.log.error({ err: error }, 'reservation sweep failed');
    }
  }
}
