/** Row types of the station-events capability's tables (migration 0023-station-events). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface StationEventsTable {
  /** bigserial: read as a string (it may exceed 2^53). */
  id: Generated<string>;
  tenant_id: string;
  station_id: string;
  kind: string;
  type: string;
  at: Timestamp;
  received_at: Timestamp;
  problem: boolean;
  cleared: boolean;
  evse_id: number | null;
  connector_id: number | null;
  device: Json<Record<string, string> | null>;
  request_id: number | null;
  summary: string;
  detail: Json<Record<string, unknown>>;
}

export interface StationProblemsTable {
  station_id: string;
  key: string;
  tenant_id: string;
  evse_id: number | null;
  connector_id: number | null;
  device: Json<Record<string, string> | null>;
  since: Timestamp;
  event_id: ColumnType<string, string, string>;
  summary: string;
  /** ConnectorSnapshot[]: the statuses the fault replaced. */
  status_before: ColumnType<Array<Record<string, unknown>>, string | undefined, string>;
}

export interface StationMeterValuesTable {
  id: Generated<string>;
  tenant_id: string;
  station_id: string;
  evse_id: number;
  at: Timestamp;
  measurand: string;
  phase: string | null;
  location: string | null;
  context: string | null;
  value: number;
  unit: string | null;
}

export interface StationEventsTables {
  station_events: StationEventsTable;
  station_problems: StationProblemsTable;
  station_meter_values: StationMeterValuesTable;
}
