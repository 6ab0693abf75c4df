/** Row types of what OCPP 2.1 stations compute and settle themselves (migration 0037-station-cost). */
import type { ColumnType } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

/** A station's cost of a session beside our CDR's (tariffs capability, tariff-station-cost.ts). */
export interface StationCostsTable {
  transaction_id: string;
  tenant_id: string;
  station_id: string;
  /** The debit CDR compared with. */
  cdr_id: string;
  /** agrees, differs, currency-differs, station-failed, not-priced-here, not-comparable. */
  status: string;
  flagged: boolean;
  /** inclTax or exclTax: which totals were compared. */
  compared: string | null;
  /** Station minus ours in minor units (decimal text). */
  difference_minor: string | null;
  station: Json<Record<string, unknown>>;
  ours: Json<Record<string, unknown>>;
  checked_at: Timestamp;
}

/** A NotifySettlement as received (payments capability, payment-settlement.ts). */
export interface PaymentSettlementsTable {
  id: string;
  tenant_id: string;
  station_id: string;
  /** The station's transaction id, as sent (absent: cancelled before the transaction started). */
  ocpp_transaction_id: string | null;
  psp_ref: string;
  /** Settled, Canceled, Rejected, Failed. */
  status: string;
  status_info: string | null;
  /** Decimal text, in the station's currency. */
  amount: string;
  settled_at: Timestamp;
  receipt_id: string | null;
  receipt_url: string | null;
  vat_number: string | null;
  vat_company: Json<Record<string, unknown>> | null;
  received_at: Timestamp;
}

export interface StationCostTables {
  station_costs: StationCostsTable;
  payment_settlements: PaymentSettlementsTable;
}
