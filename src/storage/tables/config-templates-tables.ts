/** Row types of the config-templates capability's tables (migration 0029-config-templates). */
import type { ColumnType } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface ConfigTemplatesTable {
  id: string;
  tenant_id: string;
  name: string;
  site_id: string | null;
  vendor: string | null;
  model: string | null;
  /** [{ key, value }] */
  settings: Json<Array<{ key: string; value: string }>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConfigReconciliationsTable {
  station_id: string;
  tenant_id: string;
  trigger: string;
  started_at: Timestamp;
  updated_at: Timestamp;
  settled_at: Timestamp | null;
  /** DriftItem[] */
  items: Json<Array<Record<string, unknown>>>;
  /** summariseDrift(items).drifted and .notFixed */
  drifted: number;
  not_fixed: number;
}

export interface StationMigrationsTable {
  station_id: string;
  tenant_id: string;
  applied_at: Timestamp;
  /** [{ key, value }] written after the move */
  settings: Json<Array<{ key: string; value: string }>>;
}

export interface ConfigTemplateTables {
  config_templates: ConfigTemplatesTable;
  config_reconciliations: ConfigReconciliationsTable;
  station_migrations: StationMigrationsTable;
}
