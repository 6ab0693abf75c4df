/** Row types of the tariffs capability's tables (migrations 0030-tariffs, 0031-tariff-assignments). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface TariffsTable {
  id: string;
  tenant_id: string;
  currency: string;
  current_version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TariffVersionsTable {
  tariff_id: string;
  version: number;
  tenant_id: string;
  valid_from: Timestamp;
  /** The canonical TariffModel. */
  tariff: Json<Record<string, unknown>>;
}

export interface TariffAssignmentsTable {
  id: Generated<number>;
  tenant_id: string;
  site_id: string | null;
  station_id: string | null;
  evse_id: number | null;
  connector_id: number | null;
  token_group: string | null;
  /** Null: a removal (the target has no tariff of its own from valid_from on). */
  tariff_id: string | null;
  valid_from: Timestamp;
  created_at: Timestamp;
}

export interface TariffTables {
  tariffs: TariffsTable;
  tariff_versions: TariffVersionsTable;
  tariff_assignments: TariffAssignmentsTable;
}
