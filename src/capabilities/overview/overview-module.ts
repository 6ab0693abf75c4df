/** The network overview (a read model for the console) as the composition root plugs it in. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { OverviewService } from './overview-service.ts';
import { SqlOverviewRepository } from './overview-repository-sql.ts';
import { overviewRoutes } from './overview-http.ts';

/** Pending status writes are flushed before counting, so the counts are never behind an acknowledged report. */
export interface OverviewStations {
  settled(): Promise<void>;
}

export function overviewModule({ db, cluster, clock }: Platform, stations: OverviewStations): CapabilityModule {
  const service = new OverviewService(new SqlOverviewRepository(db), () => cluster.localStationIds(), clock, () => stations.settled());
  return { name: 'overview', routes: [overviewRoutes(service)] };
}
