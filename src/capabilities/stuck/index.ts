/** The stuck capability, as the composition root sees it. */
export { StuckService, type StuckServiceDeps, type StuckSettings, type StuckSiteSettings } from './stuck-service.ts';
export { SqlStuckRepository } from './stuck-repository-sql.ts';
export { stuckRoutes } from './stuck-http.ts';
export type { StationSnapshot, StationSnapshotSource } from './stuck-station-facts.ts';
