/** The overview's storage port: counts across the stations' and transactions' tables. */
import type { OverviewCounts } from './overview.ts';

export interface OverviewRepository {
  counts(since: Date): Promise<OverviewCounts>;
}
