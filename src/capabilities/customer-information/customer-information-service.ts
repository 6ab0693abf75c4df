/**
 * Customer information shell: opens a request when the command is submitted (its request id),
 * records the station's answer, keeps the report parts, serves the assembled reports, and deletes
 * everything older than the retention period. The data and the subject are never logged.
 */
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { Command } from '../commands/index.ts';
import {
  REQUESTS_SHOWN,
  RETENTION_MS,
  assemble,
  expiresAt,
  flagsForPart,
  outcomeOf,
  requestState,
  subjectOf,
  type AssembledReport,
  type CustomerInformationParams,
  type CustomerInformationRequest,
  type Flag,
  type RequestState,
} from './customer-information.ts';
import type { CustomerInformationRepository } from './customer-information-repository.ts';

export interface CustomerStationOwners {
  owner(stationId: string): Promise<{ tenantId: string } | null>;
}

/** One part as the station sent it, in neutral terms (the adapter parsed its time). */
export interface IncomingPart {
  stationId: string;
  tenantId: string;
  requestId: number;
  seqNo: number;
  data: string;
  tbc: boolean;
  generatedAt: Date;
  receivedAt: Date;
}

export interface CustomerInformationEntry {
  request: CustomerInformationRequest;
  report: AssembledReport;
  state: RequestState;
  expiresAt: Date;
}

export class CustomerInformationService {
  constructor(
    private readonly repo: CustomerInformationRepository,
    private readonly stations: CustomerStationOwners,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async prepare(stationId: string, params: CustomerInformationParams): Promise<CustomerInformationParams & { requestId: number }> {
    const owner = await this.stations.owner(stationId);
    if (!owner) throw new CodedError('not-found', `station ${stationId} does not exist`);
    const now = this.clock();
    const { requestId: _ignored, ...rest } = params;
    const requestId = await this.repo.createRequest({
      stationId,
      tenantId: owner.tenantId,
      requestedAt: now,
      createdAt: now,
      report: params.report,
      clear: params.clear,
      subject: subjectOf(params),
      outcome: 'pending',
      stationStatus: null,
      answeredAt: null,
      flags: [],
    });
    return { ...rest, requestId };
  }

  async settled(command: Command): Promise<void> {
    const { requestId } = (command as unknown as { params: { requestId: number } }).params;
    const status = (command.response as { status?: string } | null)?.status ?? null;
    const at = command.answeredAt ?? (command.state === 'expired' ? command.expiresAt : command.createdAt);
    await this.repo.recordAnswer(command.stationId, requestId, { outcome: outcomeOf(command.state), stationStatus: status, answeredAt: at });
  }

  /** One part of a report; a part for a request the CSMS never made is kept under a flagged request of its own. */
  async reported(part: IncomingPart): Promise<void> {
    const { stationId, requestId } = part;
    const flags: Flag[] = [];
    if (!(await this.repo.findRequest(stationId, requestId))) {
      flags.push('unrequested');
      await this.repo.ensureRequest({
        stationId,
        tenantId: part.tenantId,
        requestId,
        requestedAt: null,
        createdAt: part.receivedAt,
        report: null,
        clear: null,
        subject: null,
        outcome: 'pending',
        stationStatus: null,
        answeredAt: null,
        flags: ['unrequested'],
      });
    }
    const kept = await this.repo.keptParts(stationId, requestId, part.seqNo);
    flags.push(...flagsForPart(part, kept));
    // A repeated seqNo keeps the first part; a part past the limit is dropped (only counted in the flags).
    if (!flags.includes('tooManyParts')) {
      await this.repo.addPart(part.tenantId, stationId, requestId, { seqNo: part.seqNo, data: part.data, tbc: part.tbc, generatedAt: part.generatedAt, receivedAt: part.receivedAt });
    }
    await this.repo.addFlags(stationId, requestId, flags);
    // Which request and part, never the data.
    if (flags.length > 0) this.log.warn({ stationId, requestId, seqNo: part.seqNo, flags }, 'customer information part flagged');
  }

  async view(scope: TenantScope, stationId: string): Promise<CustomerInformationEntry[]> {
    const now = this.clock();
    // Rows past retention are not shown even before the purge deletes them.
    const rows = await this.repo.list(scope, stationId, new Date(now.getTime() - RETENTION_MS), REQUESTS_SHOWN);
    return rows.map(({ request, parts }) => {
      const report = assemble(parts);
      return { request, report, state: requestState(request, report, now), expiresAt: expiresAt(request) };
    });
  }

  /** Deletes what the retention period no longer allows to keep. */
  async purge(): Promise<number> {
    const deleted = await this.repo.purge(new Date(this.clock().getTime() - RETENTION_MS));
    if (deleted > 0) this.log.info({ deleted }, 'expired customer information deleted');
    return deleted;
  }
}
