/**
 * How many boot-triggered reconciliations run at once. In a boot storm every station boots within
 * seconds, and reconciling each costs several commands; started all at once they would slow the
 * boots themselves (measured: 1,000 boots took 6 times longer, bench/RESULTS.md). Reconciliations
 * beyond the limit wait their turn in boot order; a slot is given back when the reconciliation
 * settles, or after `holdMs` (a station that went away keeps its commands queued, not a slot).
 */
import type { TimerHandle, Timers } from '../../kernel/time.ts';

export class BootThrottle {
  private readonly held = new Map<string, TimerHandle>();
  private readonly waiting: Array<{ stationId: string; start: () => void }> = [];
  /** Stations that booted again while their reconciliation ran: they reconcile once more after it. */
  private readonly again = new Map<string, () => void>();

  constructor(
    private readonly timers: Timers,
    private readonly limit: number,
    private readonly holdMs: number,
  ) {}

  /**
   * Runs `start` when a slot is free (at once if one is). A station already waiting is not queued
   * twice; one already running runs once more when it is done (it booted again: a reset to factory
   * values, a new firmware).
   */
  enter(stationId: string, start: () => void): void {
    if (this.held.has(stationId)) {
      this.again.set(stationId, start);
      return;
    }
    if (this.waiting.some((w) => w.stationId === stationId)) return;
    if (this.held.size < this.limit) this.take(stationId, start);
    else this.waiting.push({ stationId, start });
  }

  /** The station's reconciliation settled (or could not start): its slot goes to the next waiting one. */
  leave(stationId: string): void {
    const timer = this.held.get(stationId);
    if (timer === undefined) return;
    this.timers.clearTimeout(timer);
    this.held.delete(stationId);
    const rerun = this.again.get(stationId);
    if (rerun) {
      this.again.delete(stationId);
      this.waiting.push({ stationId, start: rerun });
    }
    const next = this.waiting.shift();
    if (next) this.take(next.stationId, next.start);
  }

  get running(): number {
    return this.held.size;
  }

  get queued(): number {
    return this.waiting.length;
  }

  stop(): void {
    for (const timer of this.held.values()) this.timers.clearTimeout(timer);
    this.held.clear();
    this.again.clear();
    this.waiting.length = 0;
  }

  private take(stationId: string, start: () => void): void {
    const timer = this.timers.setTimeout(() => this.leave(stationId), this.holdMs);
    timer.unref();
    this.held.set(stationId, timer);
    start();
  }
}
