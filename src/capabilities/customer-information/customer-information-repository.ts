/** The customer-information capability's storage port. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { CustomerInformationRequest, Flag, Outcome, ReportPart } from './customer-information.ts';

/** What the CSMS already kept of a request's parts, to judge one more. */
export interface KeptParts {
  highestSeqNo: number | null;
  /** The seqNo of a part that said nothing follows, if one arrived. */
  lastSeqNo: number | null;
  /** The data kept under the new part's seqNo, when a part with that seqNo was kept already. */
  sameSeqNoData: string | null;
  count: number;
}

export interface CustomerInformationRepository {
  /** Creates a request with the station's next free request id; returns it. */
  createRequest(request: Omit<CustomerInformationRequest, 'requestId'>): Promise<number>;
  /** Creates the request unless one with its id exists (a report for a request the CSMS never made). */
  ensureRequest(request: CustomerInformationRequest): Promise<void>;
  findRequest(stationId: string, requestId: number): Promise<CustomerInformationRequest | null>;
  recordAnswer(stationId: string, requestId: number, answer: { outcome: Outcome; stationStatus: string | null; answeredAt: Date }): Promise<void>;
  keptParts(stationId: string, requestId: number, seqNo: number): Promise<KeptParts>;
  /** Keeps the part unless one with its seqNo is kept already; returns whether it was added. */
  addPart(tenantId: string, stationId: string, requestId: number, part: ReportPart): Promise<boolean>;
  addFlags(stationId: string, requestId: number, flags: readonly Flag[]): Promise<void>;
  /** The station's requests created at or after `since`, most recent first, with their parts. */
  list(scope: TenantScope, stationId: string, since: Date, limit: number): Promise<Array<{ request: CustomerInformationRequest; parts: ReportPart[] }>>;
  /** Deletes requests (and their parts) created before `before`; returns how many. */
  purge(before: Date): Promise<number>;
}
