/** Row types of the authorization capability's tables. */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

export interface IdTokensTable {
  id_token: string;
  type: string;
  status: string;
  expires_at: Timestamp | null;
  group_id: string | null;
  in_local_list: ColumnType<boolean, boolean | undefined, boolean>;
  tenant_id: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AuthorizationSitesTable {
  site_id: string;
  autocharge_enabled: boolean;
  updated_at: Timestamp;
}

export interface AutochargeUsesTable {
  id: Generated<string>;
  id_token: string;
  station_id: string;
  tenant_id: ColumnType<string, string | undefined, string>;
  site_id: string | null;
  at: Timestamp;
  accepted: boolean;
  suspicion: string | null;
}

export interface LocalListChangesTable {
  version: Generated<string>;
  id_token: string;
  removed: boolean;
  tenant_id: ColumnType<string, string | undefined, string>;
  at: Timestamp;
}

export interface StationLocalListsTable {
  station_id: string;
  version: string | number | null;
  status: string;
  detail: string | null;
  synced_at: Timestamp;
}

export interface OfflineAuthorizationSettingsTable {
  scope: string;
  scope_id: string;
  settings: ColumnType<Record<string, boolean>, string, string>;
  updated_at: Timestamp;
}

export interface StationOfflineAuthorizationTable {
  station_id: string;
  applied: ColumnType<Record<string, boolean>, string, string>;
  pending: ColumnType<Record<string, { value: boolean; commandId: string }>, string, string>;
  refused: ColumnType<Record<string, { value: boolean; status: string }>, string, string>;
  updated_at: Timestamp;
}

export interface AuthorizationTables {
  offline_authorization_settings: OfflineAuthorizationSettingsTable;
  station_offline_authorization: StationOfflineAuthorizationTable;
  local_list_changes: LocalListChangesTable;
  station_local_lists: StationLocalListsTable;
  id_tokens: IdTokensTable;
  authorization_sites: AuthorizationSitesTable;
  autocharge_uses: AutochargeUsesTable;
}
