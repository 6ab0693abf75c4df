/**
 * Report requests, pure: a request the CSMS made (a base report, a filtered report, a monitoring
 * report), whether the station took it, and its multi-part answer. Parts arrive in any order and
 * may repeat; a report is complete when the part that says "nothing follows" has arrived and so
 * has every part before it. A report whose parts stop coming is incomplete (what arrived is kept)
 * after a quiet period, or when the next report of the same kind is requested.
 *
 *   requested --answer--> accepted | rejected | failed
 *   accepted | requested --part--> receiving --last part, none missing--> complete
 *   requested | accepted | receiving --quiet / superseded--> incomplete (a late part still completes it)
 */
import { isInt32 } from './device-model.ts';

/** Inventory reports describe variables; monitoring reports describe monitors. */
export const REPORT_KINDS = ['inventory', 'monitoring'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_STATES = ['requested', 'accepted', 'rejected', 'failed', 'receiving', 'complete', 'incomplete'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export const OPEN_STATES: readonly ReportState[] = ['requested', 'accepted', 'receiving'];

export interface ReportRequest {
  id: string;
  stationId: string;
  tenantId: string;
  kind: ReportKind;
  requestId: number;
  /** The command that asked for it; null for a report the station sent unasked. */
  commandId: string | null;
  commandType: string | null;
  /** What was asked (report base, criteria, component/variable filters), as the API gave it. */
  criteria: Record<string, unknown>;
  /** Whether a complete answer is the station's whole inventory (or every monitor): what it does not mention is gone. */
  replaces: boolean;
  state: ReportState;
  /** The station's answer word to the request (Accepted, Rejected, NotSupported, EmptyResultSet). */
  stationStatus: string | null;
  requestedAt: Date;
  firstPartAt: Date | null;
  lastPartAt: Date | null;
  completedAt: Date | null;
  generatedAt: Date | null;
  partsReceived: number;
  /** The seqNo of the part with tbc=false, once it arrived. */
  lastSeqNo: number | null;
  itemsReceived: number;
  duplicateParts: number;
  /** What was wrong with what the station sent (kept, flagged, never refused). */
  problems: string[];
  updatedAt: Date;
}

/** How many problems a report keeps (a station repeating a fault does not grow the row without end). */
export const MAX_PROBLEMS = 20;

export function withProblem(problems: readonly string[], problem: string): string[] {
  return problems.length >= MAX_PROBLEMS ? [...problems] : [...problems, problem];
}

export function newReport(input: {
  id: string;
  stationId: string;
  tenantId: string;
  kind: ReportKind;
  requestId: number;
  criteria: Record<string, unknown>;
  replaces: boolean;
  commandType: string | null;
  at: Date;
  unsolicited?: boolean;
}): ReportRequest {
  return {
    id: input.id,
    stationId: input.stationId,
    tenantId: input.tenantId,
    kind: input.kind,
    requestId: input.requestId,
    commandId: null,
    commandType: input.commandType,
    criteria: input.criteria,
    replaces: input.replaces,
    // A report nobody asked for is taken as it comes: it is already being received.
    state: input.unsolicited ? 'receiving' : 'requested',
    stationStatus: null,
    requestedAt: input.at,
    firstPartAt: null,
    lastPartAt: null,
    completedAt: null,
    generatedAt: null,
    partsReceived: 0,
    lastSeqNo: null,
    itemsReceived: 0,
    duplicateParts: 0,
    problems: [],
    updatedAt: input.at,
  };
}

export interface PartHeader {
  seqNo: number;
  tbc: boolean;
  generatedAt: Date | null;
  items: number;
}

/** Whether a part can be counted (its seqNo is a usable number), or why not. */
export function partProblem(part: Pick<PartHeader, 'seqNo'>): string | null {
  if (!isInt32(part.seqNo) || part.seqNo < 0) return `seqNo ${part.seqNo} is not a sequence number (0, 1, 2, ...): its content is kept, the part is not counted`;
  return null;
}

/** The seqNo of the last part once this part is counted (the smallest that said nothing follows). */
export function lastSeqNoAfter(report: Pick<ReportRequest, 'lastSeqNo'>, part: Pick<PartHeader, 'seqNo' | 'tbc'>): number | null {
  if (part.tbc) return report.lastSeqNo;
  return report.lastSeqNo === null ? part.seqNo : Math.min(report.lastSeqNo, part.seqNo);
}

/**
 * The report after a new (not repeated) part arrived. `partsUpToLast`: how many distinct parts
 * numbered 0..lastSeqNo have arrived, this one included (the repository counts them).
 */
export function afterPart(report: ReportRequest, part: PartHeader, partsUpToLast: number, at: Date): ReportRequest {
  const lastSeqNo = lastSeqNoAfter(report, part);
  let problems = report.problems;
  if (!part.tbc && report.lastSeqNo !== null && report.lastSeqNo !== part.seqNo) {
    problems = withProblem(problems, `two parts say nothing follows (seqNo ${report.lastSeqNo} and ${part.seqNo})`);
  }
  if (lastSeqNo !== null && part.seqNo > lastSeqNo) problems = withProblem(problems, `part ${part.seqNo} arrived after the last part ${lastSeqNo}`);
  const complete = lastSeqNo !== null && partsUpToLast >= lastSeqNo + 1;
  return {
    ...report,
    partsReceived: report.partsReceived + 1,
    lastSeqNo,
    itemsReceived: report.itemsReceived + part.items,
    firstPartAt: report.firstPartAt ?? at,
    lastPartAt: at,
    generatedAt: report.generatedAt ?? part.generatedAt,
    problems,
    state: complete ? 'complete' : 'receiving',
    completedAt: complete ? (report.completedAt ?? at) : report.completedAt,
    updatedAt: at,
  };
}

export function afterDuplicate(report: ReportRequest, at: Date): ReportRequest {
  return { ...report, duplicateParts: report.duplicateParts + 1, updatedAt: at };
}

/** Whether this part completed the report just now (so a replacing report removes what it did not mention). */
export function justCompleted(before: ReportRequest, after: ReportRequest): boolean {
  return before.state !== 'complete' && after.state === 'complete';
}

/**
 * The station's answer to the request. `empty`: it has nothing to report (EmptyResultSet), so the
 * report is complete without parts. A part that came before the answer is not undone.
 */
export function afterAnswer(report: ReportRequest, answer: { outcome: 'accepted' | 'rejected' | 'failed'; stationStatus: string | null; empty: boolean; commandId: string }, at: Date): ReportRequest {
  const base = { ...report, commandId: answer.commandId, stationStatus: answer.stationStatus, updatedAt: at };
  if (report.state === 'receiving' || report.state === 'complete') return base;
  if (answer.outcome !== 'accepted') return { ...base, state: answer.outcome };
  if (answer.empty) return { ...base, state: 'complete', completedAt: at };
  return { ...base, state: report.state === 'incomplete' ? 'incomplete' : 'accepted' };
}

/** Open and quiet for `quietMs` (no answer or part since): no more parts are waited for. */
export function isQuiet(report: Pick<ReportRequest, 'state' | 'updatedAt'>, now: Date, quietMs: number): boolean {
  return OPEN_STATES.includes(report.state) && now.getTime() - report.updatedAt.getTime() >= quietMs;
}

export function markIncomplete(report: ReportRequest, reason: string, at: Date): ReportRequest {
  if (!OPEN_STATES.includes(report.state)) return report;
  return { ...report, state: 'incomplete', problems: withProblem(report.problems, reason), updatedAt: at };
}

/** A part whose seqNo cannot be counted: its content is kept, the report notes why. */
export function afterUncountedPart(report: ReportRequest, items: number, problem: string, at: Date): ReportRequest {
  return {
    ...report,
    itemsReceived: report.itemsReceived + items,
    firstPartAt: report.firstPartAt ?? at,
    lastPartAt: at,
    problems: withProblem(report.problems, problem),
    state: report.state === 'complete' ? 'complete' : 'receiving',
    updatedAt: at,
  };
}
