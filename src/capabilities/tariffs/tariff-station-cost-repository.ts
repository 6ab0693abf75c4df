/** Storage port of the station-cost check (tariff-station-cost.ts), named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { StationCost, StationCostCheck } from './tariff-station-cost.ts';

/** One transaction's check: the station's cost beside our CDR's, and the verdict. */
export interface StationCostRecord extends StationCostCheck {
  transactionId: string;
  tenantId: string;
  stationId: string;
  cdrId: string;
  flagged: boolean;
  station: StationCost;
  ours: { currency: string | null; totalExclTax: string | null; totalInclTax: string | null };
  checkedAt: Date;
}

export interface StationCostFilter {
  scope: TenantScope;
  stationId?: string;
  /** Only disagreements (every status but agrees). */
  flagged?: boolean;
  limit: number;
  offset: number;
}

export interface StationCostRepository {
  /** Writes the check of a transaction, replacing an earlier one (a correction's new CDR is checked again). */
  save(record: StationCostRecord): Promise<void>;
  find(transactionId: string): Promise<StationCostRecord | null>;
  /** Newest check first. */
  list(filter: StationCostFilter): Promise<{ items: StationCostRecord[]; total: number }>;
}
