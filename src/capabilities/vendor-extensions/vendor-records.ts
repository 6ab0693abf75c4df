/**
 * What the vendor-extensions capability keeps (issue 14): stored profiles, every inbound
 * DataTransfer as received with the answer given, and the metrics and events profiles made of
 * them. Plain data, in the API's words (never a version's status spelling).
 */
import type { MetricSample, VendorEventRecord } from './vendor-normalise.ts';

/** How an inbound DataTransfer was answered. */
export const TRANSFER_OUTCOMES = ['accepted', 'rejected', 'unknownVendor', 'unknownMessage'] as const;
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[number];

export interface StoredProfile {
  tenantId: string;
  id: string;
  vendorId: string;
  /** The document as uploaded (parsed from the kept JSON text, so its keys keep their order). */
  document: Record<string, unknown>;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DataTransferRecord {
  id: string;
  tenantId: string;
  stationId: string;
  vendorId: string;
  messageId: string | null;
  /** The whole request as received (vendorId, messageId, data, customData). */
  payload: unknown;
  outcome: TransferOutcome;
  profileId: string | null;
  /** The payload failed its profile (schema, or 1.6 data that is not the JSON the profile expects). */
  flagged: boolean;
  problems: string[];
  receivedAt: Date;
}

export type NewDataTransfer = Omit<DataTransferRecord, 'id'>;

export interface StoredMetric extends MetricSample {
  id: string;
  stationId: string;
  profileId: string;
  transferId: string | null;
}

export interface StoredVendorEvent extends VendorEventRecord {
  id: string;
  stationId: string;
  profileId: string;
  transferId: string | null;
}

/** What one message (or one customData object) was turned into, for one station. */
export interface NormalisedOutput {
  tenantId: string;
  stationId: string;
  profileId: string;
  metrics: MetricSample[];
  events: VendorEventRecord[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageQuery {
  limit: number;
  offset: number;
}

/** Text columns refuse NUL; the raw payload keeps it (escaped in JSON), the searchable columns show U+FFFD. */
export function columnText(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '\uFFFD') : value;
}
