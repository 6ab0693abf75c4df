/** The stuck capability, as the composition root sees it. */
export { StuckService } from './stuck-service.ts';
export type { StuckServiceDeps, StuckSettings, StuckSiteSettings } from './stuck-ports.ts';
export { SqlStuckRepository } from './stuck-repository-sql.ts';
export { stuckRoutes } from './stuck-http.ts';
export type { StationSnapshot, StationSnapshotSource } from './stuck-station-facts-service.ts';
export { stuckModule, type StuckModule } from './stuck-module.ts';
