/** Row types of the payments capability's tables (migrations 0033-payments, 0036-payment-fast-path). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

/** bigint: pg returns it as text; written as a number. */
type BigIntColumn = ColumnType<string | number, number, number>;

export interface PaymentHoldsTable {
  id: string;
  tenant_id: string;
  station_id: string;
  evse_id: number | null;
  id_token: string;
  transaction_id: string | null;
  currency: string;
  authorized_minor: BigIntColumn;
  capture_minor: BigIntColumn | null;
  shortfall_minor: BigIntColumn;
  cdr_id: string | null;
  gateway: string;
  gateway_ref: string | null;
  state: string;
  increments: number;
  /** Fast path: the exposure bound while the hold is not placed (migration 0036); null: the session waited for the hold. */
  exposure_cap_minor: BigIntColumn | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface PaymentHoldEventsTable {
  id: Generated<number>;
  hold_id: string;
  tenant_id: string;
  state: string;
  detail: ColumnType<Record<string, unknown>, string, string>;
  at: Timestamp;
}

export interface PaymentWebhookEventsTable {
  id: string;
  type: string;
  received_at: Timestamp;
}

export interface PaymentTables {
  payment_holds: PaymentHoldsTable;
  payment_hold_events: PaymentHoldEventsTable;
  payment_webhook_events: PaymentWebhookEventsTable;
}
