/** The device-model storage port, named by intent. */
import type { ConfigurationDialect, ConfigurationEntry } from './device-model.ts';
import type { Monitor } from './device-model-monitor.ts';
import type { PartHeader, ReportKind, ReportRequest } from './device-model-report.ts';

export interface ConfigurationQuery {
  /** Component name (case-insensitive, exact). */
  component?: string;
  /** Variable name, or the 1.6 key (case-insensitive, exact). */
  variable?: string;
  /** Text searched in the key and the values. */
  q?: string;
  dialect?: ConfigurationDialect;
  limit: number;
  offset: number;
}

/** One part of a report, as it arrived. */
export interface IncomingPart {
  stationId: string;
  tenantId: string;
  kind: ReportKind;
  requestId: number;
  header: PartHeader;
  /** Null: the part's seqNo is unusable (the reason); its content is kept, the part is not counted. */
  uncountable: string | null;
  at: Date;
  /** The report to record when none was requested with this id (a station may report unasked). */
  unsolicited: ReportRequest;
}

export interface PartOutcome {
  report: ReportRequest;
  duplicate: boolean;
  /** This part completed the report. */
  completed: boolean;
  /** Rows a complete replacing report removed (not mentioned in it). */
  removed: number;
}

export interface DeviceModelRepository {
  // --- configuration ---
  findEntries(stationId: string, identities: readonly string[]): Promise<ConfigurationEntry[]>;
  /** Writes whole entries (a read's or a write's outcome). */
  saveEntries(entries: readonly ConfigurationEntry[]): Promise<void>;
  /** A complete read of every 1.6 key: keys it did not list, and nobody told about since `before`, are gone. */
  removeEntriesNotIn(stationId: string, dialect: ConfigurationDialect, identities: readonly string[], before: Date): Promise<number>;
  listEntries(stationId: string, query: ConfigurationQuery): Promise<{ items: ConfigurationEntry[]; total: number }>;

  // --- reports ---
  /** A fresh request id (positive 32-bit). */
  nextRequestId(): Promise<number>;
  createReport(report: ReportRequest): Promise<void>;
  findReport(stationId: string, kind: ReportKind, requestId: number): Promise<ReportRequest | null>;
  /** Saves `report` if its row still has `expectedUpdatedAt` (nothing arrived meanwhile); false otherwise. */
  saveReport(report: ReportRequest, expectedUpdatedAt: Date): Promise<boolean>;
  openReports(stationId: string, kind: ReportKind): Promise<ReportRequest[]>;
  /** Open reports nothing happened to since `before`, oldest first. */
  quietReports(before: Date, limit: number): Promise<ReportRequest[]>;
  listReports(stationId: string, query: { kind?: ReportKind; limit: number; offset: number }): Promise<{ items: ReportRequest[]; total: number }>;
  /** Records one part and writes its variables, in one transaction; a repeated part changes nothing but its count. */
  receiveInventoryPart(part: IncomingPart, entries: (reportId: string) => ConfigurationEntry[]): Promise<PartOutcome>;
  receiveMonitoringPart(part: IncomingPart, monitors: (reportId: string) => Monitor[]): Promise<PartOutcome>;
  /** A complete replacing report: what it did not mention (and nothing told about since it was requested) is gone. */
  removeStale(report: ReportRequest): Promise<number>;

  // --- monitors ---
  saveMonitors(monitors: readonly Monitor[]): Promise<void>;
  removeMonitors(stationId: string, monitorIds: readonly number[]): Promise<number>;
  listMonitors(stationId: string, query: { limit: number; offset: number }): Promise<{ items: Monitor[]; total: number }>;
}
