/** The overview capability (a read model for the console), as the composition root sees it. */
export { OverviewService } from './overview-service.ts';
export { SqlOverviewRepository } from './overview-repository-sql.ts';
export { overviewRoutes } from './overview-http.ts';
export type { Overview } from './overview.ts';
export { overviewModule } from './overview-module.ts';
