/** Row types of the display-messages capability's tables (migration 0027-display-messages). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface DisplayMessagesTable {
  station_id: string;
  message_id: number;
  tenant_id: string;
  on_station: Generated<boolean>;
  /** The neutral DisplayMessageSpec the CSMS last asked to show. */
  set_spec: Json<Record<string, unknown>> | null;
  set_outcome: string | null;
  set_status: string | null;
  set_at: Timestamp | null;
  set_command_id: string | null;
  /** The neutral DisplayMessageSpec the station last reported. */
  reported_spec: Json<Record<string, unknown>> | null;
  reported_at: Timestamp | null;
  reported_request_id: number | null;
  clear_outcome: string | null;
  clear_status: string | null;
  clear_at: Timestamp | null;
  clear_command_id: string | null;
  updated_at: Timestamp;
}

export interface DisplayMessageReportsTable {
  station_id: string;
  request_id: number;
  tenant_id: string;
  requested_at: Timestamp | null;
  filters: Json<Record<string, unknown>>;
  answer: string;
  parts: number;
  messages: number;
  last_part_received: boolean;
  first_part_at: Timestamp | null;
  last_part_at: Timestamp | null;
  flags: Json<string[]>;
}

export interface DisplayMessageTables {
  display_messages: DisplayMessagesTable;
  display_message_reports: DisplayMessageReportsTable;
}
