/** Row types of the reservations capability's tables (migration 0025-reservations). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface ReservationsTable {
  /** The OCPP reservationId, from the sequence reservation_ids. */
  id: number;
  tenant_id: string;
  station_id: string;
  /** Null: any EVSE (1.6 connector 0). */
  evse_id: number | null;
  connector_type: string | null;
  id_token: string;
  id_token_type: string | null;
  group_id_token: string | null;
  group_id_token_type: string | null;
  expires_at: Timestamp;
  state: string;
  reason: string | null;
  command_id: string | null;
  transaction_id: string | null;
  /** ReservationViolation[] with ISO times. */
  violations: Json<Array<Record<string, unknown>>>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface ReservationTables {
  reservations: ReservationsTable;
}
