/** The access capability (users, sessions, API keys, single sign-on) as the composition root plugs it in. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { AccessService } from './access-service.ts';
import { SqlAccessRepository } from './access-repository-sql.ts';
import { accessRoutes } from './access-http.ts';
import { OidcService } from './access-oidc-service.ts';
import { SqlOidcRepository } from './access-oidc-repository-sql.ts';
import { oidcRoutes } from './access-oidc-http.ts';

export interface AccessModule extends CapabilityModule {
  readonly service: AccessService;
}

/** What access needs of the tenants capability. */
export interface AccessTenants {
  readonly defaultTenantId: string;
  exists(id: string): Promise<boolean>;
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
  claimSite(siteId: string, tenantId: string): Promise<void>;
}

export function accessModule({ db, clock, config, log }: Platform, tenants: AccessTenants): AccessModule {
  const repo = new SqlAccessRepository(db);
  // scrypt takes only powers of two; a wrong cost would otherwise surface as a failed sign-in much later.
  const cost = config.access.passwordCost;
  if ((cost & (cost - 1)) !== 0) throw new Error(`access.passwordCost must be a power of two (2^17 = 131072 by default), not ${cost}`);
  const service = new AccessService({
    repo,
    clock,
    settings: config.access,
    defaultTenantId: tenants.defaultTenantId,
    writableTenant: (scope, named) => tenants.writableTenant(scope, named),
    claimSite: (siteId, tenantId) => tenants.claimSite(siteId, tenantId),
  });
  const oidc = new OidcService({
    repo: new SqlOidcRepository(db),
    users: repo,
    sessions: service,
    tenantExists: (id) => tenants.exists(id),
    clock,
    passwordCost: config.access.passwordCost,
    log: log.child({ component: 'oidc' }),
  });
  return { name: 'access', service, routes: [accessRoutes(service), oidcRoutes(oidc)] };
}
