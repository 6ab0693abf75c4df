/** Row types of the authorization capability's tables. */
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

export interface AuthorizationTables {
  id_tokens: IdTokensTable;
}
