/**
 * Customer information core: a request to a station to report and/or clear what it holds about
 * one customer, and the report the station sends back in numbered parts, assembled here. This is
 * personal data: it is kept CUSTOMER_INFORMATION_RETENTION_DAYS, then deleted, and never logged.
 * Pure: time comes in as values.
 */

/** How long a request, its subject and the station's report are kept, counted from the request (or from the first part of an unrequested report). */
export const CUSTOMER_INFORMATION_RETENTION_DAYS = 30;
export const RETENTION_MS = CUSTOMER_INFORMATION_RETENTION_DAYS * 24 * 3600_000;
/** How often expired requests are deleted. */
export const PURGE_INTERVAL_MS = 3600_000;
/** Parts kept per request (512 characters each: about 1 MB); later ones are dropped and the request flagged. */
export const MAX_PARTS = 2000;
/** A report still receiving after this long without a part is shown as incomplete (a tbc that never ends). */
export const REPORT_STALE_AFTER_MS = 10 * 60_000;
/** How many gaps the view names. */
export const MISSING_SHOWN = 20;
/** How many recent requests the view lists. */
export const REQUESTS_SHOWN = 50;

export const HASH_ALGORITHMS = ['SHA256', 'SHA384', 'SHA512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Whom the request is about: one or more identifiers of the same customer. */
export interface CustomerSubject {
  customerIdentifier?: string;
  /** `type` in the OCPP IdTokenType words (ISO14443, eMAID, Central, ...). */
  idToken?: { idToken: string; type: string };
  customerCertificate?: { hashAlgorithm: HashAlgorithm; issuerNameHash: string; issuerKeyHash: string; serialNumber: string };
}

export interface CustomerInformationParams extends CustomerSubject {
  /** Assigned by the CSMS when the command is submitted. */
  requestId?: number;
  report: boolean;
  clear: boolean;
}

export const OUTCOMES = ['pending', 'accepted', 'rejected', 'failed', 'expired'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const FLAGS = ['unrequested', 'outOfOrder', 'duplicateSeqNo', 'partAfterLast', 'tooManyParts'] as const;
export type Flag = (typeof FLAGS)[number];

export interface CustomerInformationRequest {
  stationId: string;
  tenantId: string;
  requestId: number;
  /** Null for a report the station sent for a request the CSMS never made. */
  requestedAt: Date | null;
  /** When the row was made: the request, or the first part of an unrequested report; retention counts from here. */
  createdAt: Date;
  report: boolean | null;
  clear: boolean | null;
  subject: CustomerSubject | null;
  outcome: Outcome;
  /** The station's own status word (Accepted, Rejected, Invalid). */
  stationStatus: string | null;
  answeredAt: Date | null;
  flags: Flag[];
}

export interface ReportPart {
  seqNo: number;
  data: string;
  /** True when more parts follow. */
  tbc: boolean;
  generatedAt: Date;
  receivedAt: Date;
}

export interface AssembledReport {
  /** The parts' data in seqNo order. */
  data: string;
  parts: number;
  /** The last part arrived and no seqNo before it is missing. */
  complete: boolean;
  missingSeqNos: number[];
  generatedAt: Date | null;
  lastPartAt: Date | null;
}

/** The station's parts in order. Numbering may start at 0 or 1; a gap before the last part keeps the report incomplete. */
export function assemble(parts: readonly ReportPart[]): AssembledReport {
  const sorted = [...parts].sort((a, b) => a.seqNo - b.seqNo);
  const last = sorted.find((p) => !p.tbc);
  const first = Math.min(sorted[0]?.seqNo ?? 0, 1);
  const missing: number[] = [];
  const have = new Set(sorted.map((p) => p.seqNo));
  const upTo = last ? last.seqNo : (sorted.at(-1)?.seqNo ?? -1);
  for (let n = Math.max(first, 0); n < upTo && missing.length < MISSING_SHOWN; n++) if (!have.has(n)) missing.push(n);
  const lastPartAt = sorted.reduce<Date | null>((latest, p) => (!latest || p.receivedAt > latest ? p.receivedAt : latest), null);
  return {
    data: sorted.map((p) => p.data).join(''),
    parts: sorted.length,
    complete: last !== undefined && missing.length === 0,
    missingSeqNos: missing,
    generatedAt: sorted[0]?.generatedAt ?? null,
    lastPartAt,
  };
}

/**
 * Flags one more part adds, given the seqNos already kept (`known`: the data kept under this seqNo,
 * when there is one) and the seqNo of the part that said nothing follows, if any.
 */
export function flagsForPart(part: Pick<ReportPart, 'seqNo' | 'data'>, kept: { highestSeqNo: number | null; lastSeqNo: number | null; sameSeqNoData: string | null; count: number }): Flag[] {
  const flags: Flag[] = [];
  if (kept.sameSeqNoData !== null && kept.sameSeqNoData !== part.data) flags.push('duplicateSeqNo');
  if (kept.highestSeqNo !== null && part.seqNo < kept.highestSeqNo && kept.sameSeqNoData === null) flags.push('outOfOrder');
  if (kept.lastSeqNo !== null && part.seqNo > kept.lastSeqNo) flags.push('partAfterLast');
  if (kept.count >= MAX_PARTS && kept.sameSeqNoData === null) flags.push('tooManyParts');
  return flags;
}

export const mergeFlags = (a: readonly Flag[], b: readonly Flag[]): Flag[] => FLAGS.filter((f) => a.includes(f) || b.includes(f));

export type RequestState = 'requested' | 'receiving' | 'complete' | 'incomplete' | 'refused' | 'failed';

/** What a request amounts to at `now`. A clear without report is still answered by one part (an acknowledgement). */
export function requestState(request: CustomerInformationRequest, report: AssembledReport, now: Date): RequestState {
  if (request.outcome === 'failed' || request.outcome === 'expired') return 'failed';
  if (request.outcome === 'rejected') return 'refused';
  if (report.complete) return 'complete';
  const since = report.lastPartAt ?? request.requestedAt ?? request.createdAt;
  if (now.getTime() - since.getTime() >= REPORT_STALE_AFTER_MS) return 'incomplete';
  return report.parts === 0 ? 'requested' : 'receiving';
}

export const expiresAt = (request: Pick<CustomerInformationRequest, 'createdAt'>): Date => new Date(request.createdAt.getTime() + RETENTION_MS);

export const outcomeOf = (state: string): Outcome => ((OUTCOMES as readonly string[]).includes(state) ? (state as Outcome) : 'failed');

/** Rules the schema cannot state: the problem, or null. */
export function checkParams(params: CustomerInformationParams): string | null {
  if (!params.report && !params.clear) return 'report or clear (or both) must be true';
  if (params.customerIdentifier === undefined && params.idToken === undefined && params.customerCertificate === undefined) {
    return 'name the customer: customerIdentifier, idToken or customerCertificate';
  }
  return null;
}

/** The subject of a request, without the command's other parameters. */
export function subjectOf(params: CustomerSubject): CustomerSubject {
  return {
    ...(params.customerIdentifier === undefined ? {} : { customerIdentifier: params.customerIdentifier }),
    ...(params.idToken === undefined ? {} : { idToken: params.idToken }),
    ...(params.customerCertificate === undefined ? {} : { customerCertificate: params.customerCertificate }),
  };
}
