/** The access capability (users, sessions, API keys, single sign-on) as the composition root plugs it in. */
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

export function accessModule({ db, clock, config, log }: Platform, tenants: { defaultTenantId: string; exists(id: string): Promise<boolean> }): AccessModule {
  const repo = new SqlAccessRepository(db);
  const service = new AccessService({
    repo,
    clock,
    settings: config.access,
    defaultTenantId: tenants.defaultTenantId,
    tenantExists: (id) => tenants.exists(id),
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
