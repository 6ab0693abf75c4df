/** The display-messages capability's storage port. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { CommandFact, Outcome, DisplayMessageRecord, DisplayMessageSpec, DisplayReportRecord } from './display-message.ts';

export interface DisplayMessageRepository {
  /**
   * Records a set the CSMS is about to send, as pending. Without an id, takes the station's next
   * free one (above every id set or reported) atomically; returns the id used.
   */
  recordSetRequested(tenantId: string, stationId: string, spec: Omit<DisplayMessageSpec, 'id'> & { id?: number }, at: Date): Promise<number>;
  /** The settled set (its spec as sent); `onStation` true when accepted, unchanged otherwise. */
  recordSetSettled(tenantId: string, stationId: string, spec: DisplayMessageSpec, fact: CommandFact): Promise<void>;
  /** A settled clear; `gone`: the station no longer has the message (it cleared it, or never had it). */
  recordClearSettled(tenantId: string, stationId: string, id: number, fact: CommandFact, gone: boolean): Promise<void>;
  /** Messages the station reported; those beyond the station's cap are not stored: returns how many were. */
  recordReported(tenantId: string, stationId: string, requestId: number, specs: DisplayMessageSpec[], at: Date, cap: number): Promise<number>;
  /** After a complete report of every message: messages not in it (and not set since it was requested) are no longer on the station. */
  markAbsentExcept(stationId: string, requestId: number, requestedAt: Date, at: Date): Promise<void>;

  /** Creates the report of a new request with the station's next free request id; returns it. */
  createReport(report: Omit<DisplayReportRecord, 'requestId'>): Promise<number>;
  findReport(stationId: string, requestId: number): Promise<DisplayReportRecord | null>;
  /** Stores the report's parts and flags, creating it if it does not exist (an existing report keeps its answer). */
  saveReport(report: DisplayReportRecord): Promise<void>;
  /** How the station answered the request (written alone: its report parts may be arriving meanwhile). */
  recordReportAnswer(stationId: string, requestId: number, answer: Outcome): Promise<void>;

  messages(scope: TenantScope, stationId: string): Promise<DisplayMessageRecord[]>;
  /** Most recent first. */
  reports(scope: TenantScope, stationId: string, limit: number): Promise<DisplayReportRecord[]>;
}
