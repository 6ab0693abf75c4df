/** Row types of the tariffs capability's tables (migration 0030-tariffs). */
import type { ColumnType } from 'kysely';
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

export interface StationTariffsTable {
  station_id: string;
  tenant_id: string;
  tariff_id: string;
  assigned_at: Timestamp;
}

export interface TariffTables {
  tariffs: TariffsTable;
  tariff_versions: TariffVersionsTable;
  station_tariffs: StationTariffsTable;
}
