/** Row types of the billing capability's tables (migration 0032-billing). */
import type { ColumnType } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;
/** bigint: pg returns it as text; written as a number. */
type BigIntColumn = ColumnType<string | number, number, number>;

export interface BillingSettingsTable {
  tenant_id: string;
  /** '' for the tenant's own settings. */
  site_id: string;
  time_zone: string | null;
  updated_at: Timestamp;
}

export interface TransactionPricingTable {
  transaction_id: string;
  tenant_id: string;
  tariff_id: string | null;
  tariff_version: number | null;
  assignment_id: number | null;
  token_group: string | null;
  time_zone: string;
  pinned_at: Timestamp;
  /** The transaction version whose books are closed (CDRs up to date); null: not yet. */
  billed_version: number | null;
}

export interface CdrsTable {
  id: string;
  tenant_id: string;
  transaction_id: string;
  sequence: number;
  kind: string;
  corrects: string | null;
  transaction_version: number;
  station_id: string;
  evse_id: number | null;
  connector_id: number | null;
  id_token: string | null;
  started_at: Timestamp;
  stopped_at: Timestamp;
  energy_wh: string;
  currency: string | null;
  tariff_id: string | null;
  tariff_version: number | null;
  total_excl_tax: string | null;
  total_incl_tax: string | null;
  total_excl_tax_minor: BigIntColumn | null;
  total_incl_tax_minor: BigIntColumn | null;
  periods: Json<unknown[]>;
  meter: Json<Record<string, unknown>>;
  estimated: boolean;
  created_at: Timestamp;
}

export interface BillingTables {
  billing_settings: BillingSettingsTable;
  transaction_pricing: TransactionPricingTable;
  cdrs: CdrsTable;
}
