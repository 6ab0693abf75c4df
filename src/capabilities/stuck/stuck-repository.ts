/** The stuck capability's storage port, named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { CaseStatus, StuckCase } from './stuck-ladder.ts';

export interface CaseFilter {
  /** Whose cases: a caller's tenant (and sites), or `ALL_TENANTS` for the platform's own reads. */
  scope: TenantScope;
  status?: CaseStatus | 'running' | 'finished';
  stationId?: string;
  transactionId?: string;
  from?: Date;
  limit: number;
  offset: number;
}

export interface StationCaseCount {
  stationId: string;
  /** Cases that were stuck indeed (not cleared as healthy, not dismissed). */
  stuck: number;
}

export interface StuckRepository {
  /** Stores a new case; false when the transaction already has one in progress (unique per transaction). */
  create(c: StuckCase): Promise<boolean>;
  save(c: StuckCase): Promise<void>;
  find(id: string): Promise<StuckCase | null>;
  /** Who owns a case: its transaction's tenant, and its station. */
  owner(id: string): Promise<{ tenantId: string; stationId: string } | null>;
  /** Cases in progress (open or awaiting an operator). */
  running(): Promise<StuckCase[]>;
  list(filter: CaseFilter): Promise<{ items: StuckCase[]; total: number }>;
  /** Latest time a transaction was found healthy by asking it (cleared cases), per transaction. */
  clearedSince(since: Date): Promise<Array<{ transactionId: string; at: Date }>>;
  stuckPerStation(scope: TenantScope, since: Date): Promise<StationCaseCount[]>;
  /** Sessions started per station since `since`, the denominator of the stuck rate. */
  sessionsPerStation(scope: TenantScope, since: Date): Promise<Array<{ stationId: string; sessions: number }>>;
}
