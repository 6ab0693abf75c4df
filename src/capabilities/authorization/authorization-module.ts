/** The authorization capability as the composition root plugs it in: id tokens, Autocharge, local lists, cross-node sync. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { AuthorizationService } from './authorization-service.ts';
import { AutochargeGuard } from './authorization-autocharge-service.ts';
import { LocalListService } from './authorization-local-list-service.ts';
import { syncAuthorizationAcrossNodes } from './authorization-sync-service.ts';
import { SqlAutochargeRepository, SqlLocalListRepository, SqlTokenRepository } from './authorization-repository-sql.ts';
import { authorizationHandlers16, localListTranslator16 } from './authorization-ocpp16.ts';
import { authorizationHandlers201, localListTranslator2x } from './authorization-ocpp201.ts';
import { authorizationHandlers21 } from './authorization-ocpp21.ts';
import { authorizationRoutes } from './authorization-http.ts';
import { localListRoutes } from './authorization-local-list-http.ts';

export interface AuthorizationModule extends CapabilityModule {
  readonly service: AuthorizationService;
  readonly localLists: LocalListService;
}

/** What authorization needs of the stations capability: a station's site (Autocharge rules are per site) and tenant (its local list). */
export interface AuthorizationStations {
  siteOf(stationId: string): string | null | undefined;
  owner(stationId: string): Promise<{ tenantId: string } | null>;
}

/** What authorization needs of the tenants capability: where tokens go, and who owns a site. */
export interface AuthorizationTenants {
  readonly defaultTenantId: string;
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
  claimSiteFor(scope: TenantScope, siteId: string): Promise<void>;
}

export function authorizationModule({ config, db, cluster, events, clock, log }: Platform, stations: AuthorizationStations, tenants: AuthorizationTenants): AuthorizationModule {
  const autocharge = new AutochargeGuard(
    new SqlAutochargeRepository(db),
    { concurrentWindowSec: config.authorization.autochargeConcurrentWindowSec, travelWindowSec: config.authorization.autochargeTravelWindowSec },
    (stationId) => stations.siteOf(stationId),
    clock,
    log,
  );
  const service = new AuthorizationService(new SqlTokenRepository(db), clock, autocharge, tenants);
  const localLists = new LocalListService(
    new SqlLocalListRepository(db),
    service,
    cluster,
    events,
    { '1.6': localListTranslator16, '2.0.1': localListTranslator2x, '2.1': localListTranslator2x },
    async (stationId) => (await stations.owner(stationId))?.tenantId ?? null,
    clock,
    log,
    config.authorization.localListEntriesPerMessage,
  );
  let stopSync: (() => void) | null = null;
  return {
    name: 'authorization',
    service,
    localLists,
    ocpp: [authorizationHandlers16(service), authorizationHandlers201(service), authorizationHandlers21(service)],
    routes: [authorizationRoutes(service, tenants), localListRoutes(localLists)],
    owners: { token: async (idToken) => service.owner(idToken) },
    async start() {
      await service.start();
      await localLists.start();
      stopSync = syncAuthorizationAcrossNodes(events, service, localLists, clock, log);
    },
    async stop() {
      localLists.stop();
      stopSync?.();
      await service.stop();
    },
  };
}
