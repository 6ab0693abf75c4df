/** Row types of the stations capability's tables. */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

export interface StationsTable {
  id: string;
  /** The owning tenant (migration 0017); the column defaults to 'default'. */
  tenant_id: ColumnType<string, string | undefined, string>;
  password_hash: string | null;
  security_profile: number;
  site_id: string | null;
  labels: ColumnType<Record<string, string>, string, string>;
  registration_status: string;
  ocpp_version: string | null;
  vendor: string | null;
  model: string | null;
  serial_number: string | null;
  firmware_version: string | null;
  iccid: string | null;
  imsi: string | null;
  last_boot_at: Timestamp | null;
  last_boot_reason: string | null;
  last_seen_at: Timestamp | null;
  connected_at: Timestamp | null;
  disconnected_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StationConnectorsTable {
  station_id: string;
  evse_id: number;
  connector_id: number;
  status: string;
  /** Neutral ConnectorActivity (issue 12, migration 0014); null for older rows and 2.x reports. */
  activity: string | null;
  ocpp_status: string | null;
  error_code: string | null;
  info: string | null;
  reported_at: Timestamp;
}

export interface StationStatusHistoryTable {
  id: Generated<string>;
  station_id: string;
  evse_id: number;
  connector_id: number;
  status: string;
  activity: string | null;
  ocpp_status: string | null;
  error_code: string | null;
  reported_at: Timestamp;
  received_at: Timestamp;
}

export interface StationConnectionEventsTable {
  id: Generated<string>;
  station_id: string;
  event: string;
  at: Timestamp;
  ocpp_version: string | null;
  reason: string | null;
}

export interface StationTables {
  stations: StationsTable;
  station_connectors: StationConnectorsTable;
  station_status_history: StationStatusHistoryTable;
  station_connection_events: StationConnectionEventsTable;
}
