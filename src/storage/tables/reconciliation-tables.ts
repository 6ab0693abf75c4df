/** Row types of the reconciliation capability's tables (migration 0035-reconciliation). */
import type { ColumnType } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface ReconciliationRunsTable {
  id: string;
  /** Null: a platform-wide run (every tenant). */
  tenant_id: string | null;
  /** The sites an on-demand run was limited to; null: the whole tenant. */
  site_ids: Json<string[]> | null;
  period_from: Timestamp;
  period_to: Timestamp;
  /** 'daily' or 'on-demand'. */
  trigger: string;
  gateway_checked: boolean;
  /** Completed transactions examined. */
  transactions: number;
  /** Discrepancies found. */
  items: number;
  /** Per kind: how many. */
  counts: Json<Record<string, number>>;
  /** Per kind and currency: the money at stake in minor units. */
  at_stake: Json<Record<string, Record<string, number>>>;
  took_ms: number;
  created_at: Timestamp;
}

export interface ReconciliationTables {
  reconciliation_runs: ReconciliationRunsTable;
}
