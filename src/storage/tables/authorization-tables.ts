/** Row types of the authorization capability's tables. */
import type { Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

export interface IdTokensTable {
  id_token: string;
  type: string;
  status: string;
  expires_at: Timestamp | null;
  group_id: string | null;
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
  site_id: string | null;
  at: Timestamp;
  accepted: boolean;
  suspicion: string | null;
}

export interface AuthorizationTables {
  id_tokens: IdTokensTable;
  authorization_sites: AuthorizationSitesTable;
  autocharge_uses: AutochargeUsesTable;
}
