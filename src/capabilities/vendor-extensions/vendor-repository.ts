/** The vendor-extensions capability's storage ports: profiles, and what stations sent. */
import type { DataTransferRecord, NewDataTransfer, NormalisedOutput, Page, PageQuery, StoredMetric, StoredProfile, StoredVendorEvent } from './vendor-records.ts';

export interface ProfileWrite {
  tenantId: string;
  id: string;
  vendorId: string;
  /** The document as JSON text (kept verbatim). */
  documentText: string;
  at: Date;
}

export interface VendorProfileRepository {
  /** False when the tenant already has a profile with that id. */
  insert(profile: ProfileWrite): Promise<boolean>;
  /** The replaced profile's new revision; null when there is none to replace. */
  replace(profile: ProfileWrite): Promise<number | null>;
  /** Creates or replaces every profile in one transaction: all or none. */
  upsertAll(profiles: readonly ProfileWrite[]): Promise<{ created: number; updated: number }>;
  find(tenantId: string, id: string): Promise<StoredProfile | null>;
  /** The tenant's profiles by id. */
  list(tenantId: string): Promise<StoredProfile[]>;
  /** The tenant's profiles of a vendorId, compared without case. */
  ofVendor(tenantId: string, vendorId: string): Promise<StoredProfile[]>;
  remove(tenantId: string, id: string): Promise<boolean>;
}

export interface TransferFilter extends PageQuery {
  vendorId?: string;
  messageId?: string;
  flagged?: boolean;
}

export interface MetricFilter extends PageQuery {
  name?: string;
  from?: Date;
  to?: Date;
}

export interface EventFilter extends PageQuery {
  type?: string;
  problem?: boolean;
}

export interface VendorDataRepository {
  /** Keeps the raw message and what it became, in one transaction; the message's id. */
  record(transfer: NewDataTransfer, output: NormalisedOutput | null): Promise<string>;
  /** Keeps what a message handled elsewhere (customData) became. */
  recordOutput(output: NormalisedOutput, transferId: string | null): Promise<void>;
  /** Newest first. Rows of the station under its current tenant only (a station id can move tenants). */
  transfers(tenantId: string, stationId: string, filter: TransferFilter): Promise<Page<DataTransferRecord>>;
  metrics(tenantId: string, stationId: string, filter: MetricFilter): Promise<Page<StoredMetric>>;
  events(tenantId: string, stationId: string, filter: EventFilter): Promise<Page<StoredVendorEvent>>;
}
