/** Row types of the commands capability's tables. */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

/** jsonb: read as parsed JSON, written as a JSON string (so arrays stay JSON, not PostgreSQL arrays). */
type Json<T> = ColumnType<T, string, string>;

export interface CommandsTable {
  id: string;
  /** Creation order (ties in created_at are possible); a station's queue is delivered by seq. */
  seq: Generated<string>;
  station_id: string;
  type: string;
  params: Json<Record<string, unknown>>;
  state: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  answered_at: Timestamp | null;
  expires_at: Timestamp;
  response: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  error: string | null;
  attempts: Generated<number>;
}

export interface CommandTables {
  commands: CommandsTable;
}
