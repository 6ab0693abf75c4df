/** Row types of the customer-information capability's tables (migration 0028-customer-information). */
import type { ColumnType } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface CustomerInformationRequestsTable {
  station_id: string;
  request_id: number;
  tenant_id: string;
  requested_at: Timestamp | null;
  created_at: Timestamp;
  report: boolean | null;
  clear: boolean | null;
  /** The neutral CustomerSubject: personal data, kept for the retention period only. */
  subject: Json<Record<string, unknown>> | null;
  outcome: string;
  station_status: string | null;
  answered_at: Timestamp | null;
  flags: Json<string[]>;
}

export interface CustomerInformationPartsTable {
  station_id: string;
  request_id: number;
  seq_no: number;
  tenant_id: string;
  data: string;
  tbc: boolean;
  generated_at: Timestamp;
  received_at: Timestamp;
}

export interface CustomerInformationTables {
  customer_information_requests: CustomerInformationRequestsTable;
  customer_information_parts: CustomerInformationPartsTable;
}
