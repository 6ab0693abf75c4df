/** Storage port of the reconciliation capability, named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { Discrepancy, DiscrepancyKind, Period, TotalRow } from './reconciliation.ts';
import type { HoldFacts } from './reconciliation-gateway.ts';

/** What the ledgers' joins found for a period: every discrepancy counted, one page of them listed. */
export interface LedgerScan {
  totals: TotalRow[];
  /** The page asked for, in kind order, then by stop. */
  items: Discrepancy[];
  /** Completed transactions examined, per tenant. */
  examined: Array<{ tenantId: string; transactions: number }>;
}

export interface ScanOptions {
  /** Holds still open whose session ended (or, without one, that were placed) before this are overdue. */
  overdueBefore: Date;
  limit: number;
  offset: number;
}

/** The stored summary of one run. */
export interface ReconciliationRun {
  id: string;
  /** Null: every tenant (a platform-wide run). */
  tenantId: string | null;
  siteIds: string[] | null;
  period: Period;
  trigger: 'daily' | 'on-demand';
  gatewayChecked: boolean;
  transactions: number;
  items: number;
  counts: Record<DiscrepancyKind, number>;
  /** Per kind and currency, minor units. */
  atStake: Record<DiscrepancyKind, Record<string, number>>;
  tookMs: number;
  createdAt: Date;
}

export interface ReconciliationRepository {
  /** The set-based joins of metering, CDRs and holds over the period, in the scope. */
  scan(scope: TenantScope, period: Period, options: ScanOptions): Promise<LedgerScan>;
  /** When the oldest hold of the period was placed (where the gateway's list must start), or null. */
  oldestHold(scope: TenantScope, period: Period): Promise<Date | null>;
  /** The holds carrying these gateway references or ids, in the scope, with their place in the period. */
  holdsFor(scope: TenantScope, period: Period, refs: readonly string[], ids: readonly string[]): Promise<HoldFacts[]>;
  /** Captured holds of the period, by id after `afterId` (a page at a time). */
  capturedHolds(scope: TenantScope, period: Period, afterId: string | null, limit: number): Promise<HoldFacts[]>;
  /** How many captured holds each of these transactions has. */
  capturedCounts(scope: TenantScope, transactionIds: readonly string[]): Promise<Map<string, number>>;
  /** Every tenant's id (a daily run stores one summary per tenant). */
  tenants(): Promise<string[]>;
  /** Stores runs; a daily run of a tenant and period already stored is left as it is. */
  saveRuns(runs: readonly ReconciliationRun[]): Promise<void>;
  /** Whether the daily run of this period is stored. */
  hasDailyRun(period: Period): Promise<boolean>;
  listRuns(scope: TenantScope, page: { limit: number; offset: number }): Promise<{ items: ReconciliationRun[]; total: number }>;
}
