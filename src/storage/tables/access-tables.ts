/** Row types of the access capability's tables (users, sessions, API keys) and of the audit trail. */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  password_hash: string;
  role: string;
  site_ids: ColumnType<string[] | null, string | null, string | null>;
  created_at: Timestamp;
}

export interface UserSessionsTable {
  id: string;
  token_digest: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ApiKeysTable {
  id: string;
  key_digest: string;
  prefix: string;
  tenant_id: string;
  name: string;
  scopes: Json<string[]>;
  site_ids: ColumnType<string[] | null, string | null, string | null>;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  tenant_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  path: string | null;
  station_id: string | null;
  request_id: string | null;
  status: number | null;
  code: string | null;
  detail: ColumnType<Record<string, unknown> | null, string | null, string | null>;
}

export interface AccessTables {
  users: UsersTable;
  user_sessions: UserSessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
}
