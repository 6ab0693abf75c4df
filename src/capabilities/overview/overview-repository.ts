/** The overview's storage port: counts across the stations' and transactions' tables. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { OverviewCounts } from './overview.ts';

export interface OverviewRepository {
  /** Counts of the scope's stations, connectors and transactions. */
  counts(scope: TenantScope, since: Date): Promise<OverviewCounts>;
  /** How many of these (connected) stations are in the scope. */
  countInScope(scope: TenantScope, stationIds: readonly string[]): Promise<number>;
}
