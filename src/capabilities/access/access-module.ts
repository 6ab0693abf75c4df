/** The access capability (users, sessions, API keys) as the composition root plugs it in. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { AccessService } from './access-service.ts';
import { SqlAccessRepository } from './access-repository-sql.ts';
import { accessRoutes } from './access-http.ts';

export interface AccessModule extends CapabilityModule {
  readonly service: AccessService;
}

export function accessModule({ db, clock, config }: Platform, tenants: { defaultTenantId: string; exists(id: string): Promise<boolean> }): AccessModule {
  const service = new AccessService({
    repo: new SqlAccessRepository(db),
    clock,
    settings: config.access,
    defaultTenantId: tenants.defaultTenantId,
    tenantExists: (id) => tenants.exists(id),
  });
  return { name: 'access', service, routes: [accessRoutes(service)] };
}
