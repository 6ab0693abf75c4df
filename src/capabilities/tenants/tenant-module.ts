/** The tenants capability as the composition root plugs it in. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { TenantService } from './tenant-service.ts';
import { SqlTenantRepository } from './tenant-repository-sql.ts';
import { tenantRoutes } from './tenant-http.ts';

export interface TenantModule extends CapabilityModule {
  readonly service: TenantService;
}

export function tenantModule({ db, clock }: Platform): TenantModule {
  const service = new TenantService(new SqlTenantRepository(db), clock);
  return {
    name: 'tenants',
    service,
    routes: [tenantRoutes(service)],
    // A site is its own site: a caller limited to other sites does not see it.
    owners: { site: async (siteId) => ((tenantId) => (tenantId === null ? null : { tenantId, siteId }))(await service.siteTenant(siteId)) },
  };
}
