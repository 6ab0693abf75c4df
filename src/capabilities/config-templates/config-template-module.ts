/** The config-templates capability as the composition root plugs it in: desired settings per tenant, site, vendor, model, reconciled after every boot. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { nullIfNotFound } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandService } from '../commands/index.ts';
import type { TenantService } from '../tenants/index.ts';
import { ConfigTemplateService } from './config-template-service.ts';
import { ConfigReconcileService, type MigrationSource } from './config-template-reconcile-service.ts';
import { SqlConfigTemplateRepository } from './config-template-repository-sql.ts';
import { configTemplateRoutes } from './config-template-http.ts';
import { BootThrottle } from './config-template-boot-throttle-service.ts';

export interface ConfigTemplatesDeps {
  stations: StationService;
  commands: CommandService;
  tenants: TenantService;
  /** The 1.6 configuration of a station that moved to 2.x, mapped (the device-model capability). */
  migration?: MigrationSource;
}

export interface ConfigTemplatesModule extends CapabilityModule {
  readonly service: ConfigTemplateService;
  readonly reconcile: ConfigReconcileService;
}

/** Boot-triggered reconciliations running at once, and how long one may hold its slot (see BootThrottle). */
export const RECONCILE_CONCURRENCY = 16;
export const RECONCILE_SLOT_MS = 60_000;

export function configTemplatesModule({ db, events, clock, timers, log }: Platform, deps: ConfigTemplatesDeps): ConfigTemplatesModule {
  const stations = {
    facts: async (stationId: string) => {
      const view = await nullIfNotFound(deps.stations.get(stationId));
      if (!view) return null;
      return { stationId, tenantId: view.tenantId, siteId: view.siteId, vendor: view.vendor, model: view.model, ocppVersion: view.ocppVersion ?? '1.6' };
    },
  };
  const repo = new SqlConfigTemplateRepository(db);
  const service = new ConfigTemplateService(repo, stations, deps.tenants, clock);
  const reconcile = new ConfigReconcileService(repo, deps.commands, stations, events, clock, log, new BootThrottle(timers, RECONCILE_CONCURRENCY, RECONCILE_SLOT_MS), deps.migration);
  return {
    name: 'config-templates',
    service,
    reconcile,
    routes: [configTemplateRoutes(service, reconcile)],
    owners: { 'config-template': (id) => service.owner(id) },
    start: () => reconcile.start(),
    stop: () => reconcile.stop(),
  };
}
