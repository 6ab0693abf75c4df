/**
 * Offline authorization settings (LocalAuthorizeOffline, unknown-id policy, ...) as the
 * composition root plugs them in. A module of its own because it pushes settings through
 * the commands capability, which itself depends on authorization (through transactions).
 */
import { ALL_TENANTS, type TenantScope } from '../../kernel/tenant-scope.ts';
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { nullIfNotFound } from '../../capability-module.ts';
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import { OfflineSettingsService } from './authorization-offline-service.ts';
import { SqlOfflineSettingsRepository } from './authorization-repository-sql.ts';
import { offlineSettingKeys16 } from './authorization-ocpp16.ts';
import { offlineSettingKeys2x } from './authorization-ocpp201.ts';
import { offlineSettingsRoutes } from './authorization-offline-http.ts';
import type { SiteOwnership } from './authorization-http.ts';

/** What the settings need of the stations capability. */
export interface OfflineSettingsStationSource {
  siteOf(stationId: string): string | null | undefined;
  get(stationId: string): Promise<{ siteId: string | null; ocppVersion: OcppVersion | null }>;
  list(scope: TenantScope, query: { siteId: string; limit: number; offset: number }): Promise<{ items: Array<{ id: string }> }>;
}

/** What the settings need of the commands capability. */
export interface OfflineSettingsCommandSink {
  submit(stationId: string, input: { type: 'setConfiguration'; params: { key: string; value: string } }, options: { expiresInSec: number }): Promise<{ id: string }>;
  get(commandId: string): Promise<{ state: string; response: { status: string } | null }>;
}

export interface OfflineSettingsModule extends CapabilityModule {
  readonly service: OfflineSettingsService;
}

export function offlineSettingsModule(
  { db, events, clock, log }: Platform,
  stations: OfflineSettingsStationSource,
  commands: OfflineSettingsCommandSink,
  sites: SiteOwnership,
): OfflineSettingsModule {
  const stationOrNull = (id: string) => nullIfNotFound(stations.get(id));
  const service = new OfflineSettingsService(
    new SqlOfflineSettingsRepository(db),
    {
      siteOf: async (id) => stations.siteOf(id) ?? (await stationOrNull(id))?.siteId ?? null,
      versionOf: async (id) => (await stationOrNull(id))?.ocppVersion ?? null,
      // A site belongs to one tenant (migration 0019): its stations are all of that tenant.
      inSite: async (siteId) => (await stations.list(ALL_TENANTS, { siteId, limit: 1_000_000, offset: 0 })).items.map((s) => s.id),
    },
    {
      setConfiguration: (stationId, key, value, expiresInSec) => commands.submit(stationId, { type: 'setConfiguration', params: { key, value } }, { expiresInSec }),
      outcome: async (id) => {
        const command = await nullIfNotFound(commands.get(id));
        return command && { state: command.state, status: command.response?.status ?? null };
      },
    },
    { '1.6': offlineSettingKeys16, '2.0.1': offlineSettingKeys2x, '2.1': offlineSettingKeys2x },
    events,
    clock,
    log,
  );
  return {
    name: 'offline-settings',
    service,
    routes: [offlineSettingsRoutes(service, sites)],
    start: () => service.start(),
    stop: () => service.stop(),
  };
}
