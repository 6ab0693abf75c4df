/** Row types of the stuck capability's tables. */
import type { ColumnType } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface StuckCasesTable {
  id: string;
  transaction_id: string;
  station_id: string;
  evse_id: number | null;
  status: string;
  reasons: Json<string[]>;
  /** StepRecord[] with ISO times. */
  steps: Json<Array<Record<string, unknown>>>;
  pending_step: string | null;
  approved_step: string | null;
  detected_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface StuckTables {
  stuck_cases: StuckCasesTable;
}
