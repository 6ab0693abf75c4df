/**
 * Counters of stuck-transaction handling since the process started (the
 * cases themselves are durable and listed by REST): detected, resolved
 * automatically, needing an operator, and time from detection to the end.
 */
import type { StuckReason } from './stuck.ts';
import { APPROVED, type CaseStatus, type StuckCase } from './stuck-ladder.ts';

/** How many recent durations the percentiles are computed over. */
const WINDOW = 10_000;

export interface StuckMetricsView {
  detected: number;
  detectedByReason: Partial<Record<StuckReason, number>>;
  finished: Partial<Record<CaseStatus, number>>;
  /** Stuck cases closed (by the station or the backend) without an operator. */
  autoResolved: number;
  /** Stuck cases closed with at least one operator-approved step. */
  operatorResolved: number;
  /** Cases waiting for an operator now. */
  awaitingOperator: number;
  /** Cases in progress now. */
  running: number;
  /** Seconds from detection to the transaction being closed (recent cases). */
  timeToResolveSec: { count: number; p50: number | null; p90: number | null; max: number | null };
}

export class StuckMetrics {
  private detectedCount = 0;
  private readonly byReason: Partial<Record<StuckReason, number>> = {};
  private readonly byStatus: Partial<Record<CaseStatus, number>> = {};
  private auto = 0;
  private operator = 0;
  private awaiting = 0;
  private runningNow = 0;
  private readonly durations: number[] = [];

  detected(reasons: readonly StuckReason[]): void {
    this.detectedCount += 1;
    for (const reason of reasons) this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
  }

  finished(c: StuckCase): void {
    this.byStatus[c.status] = (this.byStatus[c.status] ?? 0) + 1;
    if (c.status !== 'resolved' && c.status !== 'closed-by-backend') return;
    if (c.steps.some((s) => s.detail?.startsWith(APPROVED))) this.operator += 1;
    else this.auto += 1;
    if (c.finishedAt) {
      this.durations.push((c.finishedAt.getTime() - c.detectedAt.getTime()) / 1000);
      if (this.durations.length > WINDOW) this.durations.shift();
    }
  }

  setRunning(running: readonly StuckCase[]): void {
    this.runningNow = running.length;
    this.awaiting = running.filter((c) => c.status === 'awaiting-operator').length;
  }

  view(): StuckMetricsView {
    const sorted = [...this.durations].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number));
    return {
      detected: this.detectedCount,
      detectedByReason: { ...this.byReason },
      finished: { ...this.byStatus },
      autoResolved: this.auto,
      operatorResolved: this.operator,
      awaitingOperator: this.awaiting,
      running: this.runningNow,
      timeToResolveSec: { count: sorted.length, p50: at(0.5), p90: at(0.9), max: sorted.at(-1) ?? null },
    };
  }
}
