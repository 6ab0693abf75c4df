/** The id-token storage port. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { IdToken } from './authorization.ts';
import type { AppliedOfflineSettings, OfflineSetting, OfflineSettings } from './authorization-offline.ts';

export interface TokenRepository {
  all(): Promise<IdToken[]>;
  /** The named tokens that exist (another node wrote them). */
  findMany(idTokens: readonly string[]): Promise<IdToken[]>;
  /** Inserts or replaces; returns whether it was new. */
  upsert(token: IdToken): Promise<boolean>;
  /** Inserts many in one statement; existing tokens are replaced. */
  upsertMany(tokens: readonly IdToken[]): Promise<void>;
  remove(idToken: string): Promise<boolean>;
}

export interface AutochargeUseRecord {
  idToken: string;
  stationId: string;
  tenantId: string;
  siteId: string | null;
  at: Date;
  accepted: boolean;
  suspicion: string | null;
}

/** Per-site authorization settings and the Autocharge use log. */
export interface AutochargeRepository {
  sites(): Promise<Array<{ siteId: string; autochargeEnabled: boolean }>>;
  setSite(siteId: string, autochargeEnabled: boolean, now: Date): Promise<void>;
  recordUses(uses: readonly AutochargeUseRecord[]): Promise<void>;
  /** Uses at the stations of the scope. */
  uses(scope: TenantScope, filter: { idToken?: string; suspiciousOnly?: boolean; limit: number }): Promise<AutochargeUseRecord[]>;
}

export interface StationListState {
  version: number | null;
  status: string;
  detail: string | null;
  syncedAt: Date;
}

/** Local authorization list versions: the change log and what each station holds. */
export interface LocalListRepository {
  /**
   * Appends one change per token and returns the newest version of all. Numbers are shared by all
   * tenants: each tenant's versions rise, with gaps where another tenant's changes went.
   */
  appendChanges(changes: ReadonlyArray<{ idToken: string; tenantId: string; removed: boolean }>, at: Date): Promise<number>;
  /** The newest version of the tenant's list (of all lists when no tenant is named); 0 when there is none. */
  currentVersion(tenantId?: string): Promise<number>;
  /** Each tenant's newest list version (a tenant without a list is absent). */
  currentVersions(): Promise<Map<string, number>>;
  /** Tokens changed after `version`, each once (its latest change): the tenant's, or everyone's when no tenant is named. */
  changesSince(version: number, tenantId?: string): Promise<Array<{ idToken: string; removed: boolean }>>;
  stationState(stationId: string): Promise<StationListState | null>;
  saveStationState(stationId: string, state: StationListState): Promise<void>;
}

/** What was pushed to a station: values it accepted, commands not answered yet, values it refused. */
export interface StationOfflineState {
  applied: AppliedOfflineSettings;
  pending: Partial<Record<OfflineSetting, { value: boolean; commandId: string }>>;
  refused: Partial<Record<OfflineSetting, { value: boolean; status: string }>>;
}

/** Offline authorization settings per site and station, and each station's push state. */
export interface OfflineSettingsRepository {
  /** Every site and station that has settings. */
  scopes(): Promise<Array<{ scope: 'site' | 'station'; scopeId: string }>>;
  settings(scope: 'site' | 'station', scopeId: string): Promise<OfflineSettings | null>;
  saveSettings(scope: 'site' | 'station', scopeId: string, settings: OfflineSettings, now: Date): Promise<void>;
  removeSettings(scope: 'site' | 'station', scopeId: string): Promise<boolean>;
  stationState(stationId: string): Promise<StationOfflineState>;
  saveStationState(stationId: string, state: StationOfflineState, now: Date): Promise<void>;
}
