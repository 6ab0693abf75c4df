/** Row types of the transactions capability's tables. */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface TransactionsTable {
  id: string;
  station_id: string;
  tenant_id: ColumnType<string, string | undefined, string>;
  ocpp_version: string;
  ocpp_transaction_id: string;
  evse_id: number | null;
  connector_id: number | null;
  id_token: string | null;
  id_token_type: string | null;
  state: string;
  started_at: Timestamp | null;
  stopped_at: Timestamp | null;
  meter_start_wh: number | null;
  meter_start_at: Timestamp | null;
  meter_start_resolution_wh: number | null;
  meter_stop_wh: number | null;
  meter_stop_resolution_wh: number | null;
  last_meter_wh: number | null;
  last_meter_at: Timestamp | null;
  last_meter_resolution_wh: number | null;
  highest_meter_wh: number | null;
  stop_reason: string | null;
  charging_state: string | null;
  offline: boolean;
  flags: Json<string[]>;
  remote_start_id: number | null;
  reservation_id: number | null;
  max_seq_no: number | null;
  seq_no_count: number;
  last_event_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Writes so far: a write decided from version n stores n + 1, and only over n (compare-and-set). */
  version: Generated<number>;
}

export interface TransactionEventsTable {
  id: Generated<string>;
  transaction_id: string;
  station_id: string;
  /** Station-scoped idempotency key: the same message received twice has the same key. */
  dedupe_key: string;
  kind: string;
  seq_no: number | null;
  trigger_reason: string | null;
  occurred_at: Timestamp;
  received_at: Timestamp;
  offline: boolean;
  summary: Json<Record<string, unknown>>;
}

export interface TransactionMeterValuesTable {
  id: Generated<string>;
  transaction_id: string;
  sampled_at: Timestamp;
  measurand: string;
  phase: string | null;
  location: string | null;
  context: string | null;
  value: number;
  unit: string | null;
}

export interface TransactionTables {
  transactions: TransactionsTable;
  transaction_events: TransactionEventsTable;
  transaction_meter_values: TransactionMeterValuesTable;
}
