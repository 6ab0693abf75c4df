/** Row types of the vendor-extensions capability's tables (migration 0026-vendor-extensions). */
import type { Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

export interface VendorProfilesTable {
  tenant_id: string;
  id: string;
  vendor_id: string;
  /** The profile document as JSON text, as uploaded (key order kept). */
  document: string;
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VendorDataTransfersTable {
  /** bigserial: read as a string (it may exceed 2^53). */
  id: Generated<string>;
  tenant_id: string;
  station_id: string;
  vendor_id: string;
  message_id: string | null;
  /** The whole request as JSON text, exactly as received. */
  payload: string;
  status: string;
  profile_id: string | null;
  flagged: boolean;
  /** JSON text: the problems found (schema errors, unreadable data), [] when none. */
  problems: string;
  received_at: Timestamp;
}

export interface VendorMetricsTable {
  id: Generated<string>;
  tenant_id: string;
  station_id: string;
  name: string;
  value: number;
  unit: string | null;
  at: Timestamp;
  transfer_id: string | null;
  profile_id: string;
}

export interface VendorEventsTable {
  id: Generated<string>;
  tenant_id: string;
  station_id: string;
  type: string;
  severity: string;
  problem: boolean;
  /** JSON text of the detail the profile picked from the payload, or null. */
  detail: string | null;
  at: Timestamp;
  transfer_id: string | null;
  profile_id: string;
}

export interface VendorExtensionTables {
  vendor_profiles: VendorProfilesTable;
  vendor_data_transfers: VendorDataTransfersTable;
  vendor_metrics: VendorMetricsTable;
  vendor_events: VendorEventsTable;
}
