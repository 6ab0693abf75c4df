/** Row types of the device-model capability's tables (migration 0024-device-model). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

type Json<T> = ColumnType<T, string, string>;

export interface DeviceModelVariablesTable {
  station_id: string;
  tenant_id: string;
  identity: string;
  key: string;
  /** '1.6' (a configuration key) or '2.x' (a component/variable). */
  dialect: string;
  component_name: string | null;
  component_instance: string | null;
  evse_id: number | null;
  connector_id: number | null;
  variable_name: string | null;
  variable_instance: string | null;
  attributes: Json<Array<Record<string, unknown>>>;
  characteristics: Json<Record<string, unknown> | null>;
  readonly: boolean | null;
  source: string;
  reported_at: Timestamp;
  report_id: string | null;
  set_value: string | null;
  set_status: string | null;
  set_at: Timestamp | null;
}

export interface DeviceModelReportsTable {
  id: string;
  station_id: string;
  tenant_id: string;
  kind: string;
  request_id: number;
  command_id: string | null;
  command_type: string | null;
  criteria: Json<Record<string, unknown>>;
  replaces: boolean;
  state: string;
  station_status: string | null;
  requested_at: Timestamp;
  first_part_at: Timestamp | null;
  last_part_at: Timestamp | null;
  completed_at: Timestamp | null;
  generated_at: Timestamp | null;
  parts_received: Generated<number>;
  last_seq_no: number | null;
  items_received: Generated<number>;
  duplicate_parts: Generated<number>;
  problems: Json<string[]>;
  updated_at: Timestamp;
}

export interface DeviceModelReportPartsTable {
  report_id: string;
  tenant_id: string;
  seq_no: number;
  tbc: boolean;
  items: number;
  received_at: Timestamp;
}

export interface DeviceModelMonitorsTable {
  station_id: string;
  tenant_id: string;
  monitor_id: number;
  component_name: string;
  component_instance: string | null;
  evse_id: number | null;
  connector_id: number | null;
  variable_name: string;
  variable_instance: string | null;
  type: string;
  value: number;
  severity: number;
  transaction: boolean;
  origin: string | null;
  source: string;
  reported_at: Timestamp;
  report_id: string | null;
}

export interface DeviceModelTables {
  device_model_variables: DeviceModelVariablesTable;
  device_model_reports: DeviceModelReportsTable;
  device_model_report_parts: DeviceModelReportPartsTable;
  device_model_monitors: DeviceModelMonitorsTable;
}
