/**
 * Display messages shell: fills in what the CSMS assigns when a command is submitted (message id,
 * request id), records each command's outcome, takes the station's reports, and serves the view.
 */
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { Command } from '../commands/index.ts';
import {
  MAX_MESSAGES_PER_STATION,
  REPORTS_SHOWN,
  applyReportPart,
  outcomeOf,
  reportState,
  reportsEverything,
  unrequestedReport,
  type ClearDisplayMessageParams,
  type CommandFact,
  type DisplayMessageRecord,
  type DisplayAnswer,
  type DisplayMessageSpec,
  type DisplayReportRecord,
  type GetDisplayMessagesParams,
  type ReportState,
  type SetDisplayMessageParams,
} from './display-message.ts';
import type { DisplayMessageRepository } from './display-message-repository.ts';

/** Which station's tenant, for rows written outside a station's call. */
export interface DisplayStationOwners {
  owner(stationId: string): Promise<{ tenantId: string } | null>;
}

export interface DisplayMessagesView {
  messages: DisplayMessageRecord[];
  reports: Array<DisplayReportRecord & { state: ReportState }>;
}

/** Where a station's report comes from: its call's facts. */
export interface ReportSource {
  stationId: string;
  tenantId: string;
  receivedAt: Date;
}

export class DisplayMessageService {
  constructor(
    private readonly repo: DisplayMessageRepository,
    private readonly stations: DisplayStationOwners,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  // --- Commands ---------------------------------------------------------------------------

  async prepareSet(stationId: string, params: SetDisplayMessageParams): Promise<SetDisplayMessageParams & { id: number }> {
    const tenantId = await this.tenantOf(stationId);
    const id = await this.repo.recordSetRequested(tenantId, stationId, params, this.clock());
    return { ...params, id };
  }

  async prepareGet(stationId: string, params: GetDisplayMessagesParams): Promise<GetDisplayMessagesParams & { requestId: number }> {
    const tenantId = await this.tenantOf(stationId);
    const { requestId: _ignored, ...filters } = params;
    const requestId = await this.repo.createReport({
      ...unrequestedReport(stationId, tenantId, 0),
      requestedAt: this.clock(),
      filters,
      flags: [],
    });
    return { ...filters, requestId };
  }

  async settledSet(command: Command): Promise<void> {
    const spec = paramsOf<DisplayMessageSpec>(command);
    const tenantId = await this.ownerOrNull(command.stationId);
    if (tenantId === null) return;
    await this.repo.recordSetSettled(tenantId, command.stationId, spec, factOf(command));
  }

  async settledClear(command: Command): Promise<void> {
    const { id } = paramsOf<ClearDisplayMessageParams>(command);
    const tenantId = await this.ownerOrNull(command.stationId);
    if (tenantId === null) return;
    const answer = command.response as DisplayAnswer | null;
    // The message is not shown once the station cleared it, or said it never had it.
    const gone = command.state === 'accepted' || answer?.known === false;
    await this.repo.recordClearSettled(tenantId, command.stationId, id, factOf(command), gone);
  }

  async settledGet(command: Command): Promise<void> {
    const { requestId } = paramsOf<GetDisplayMessagesParams & { requestId: number }>(command);
    const outcome = outcomeOf(command.state);
    await this.repo.recordReportAnswer(command.stationId, requestId, outcome);
    const report = await this.repo.findReport(command.stationId, requestId);
    // A station with no message at all (asked for every one) has none of those the CSMS thought it had.
    if (report && outcome === 'rejected' && report.parts === 0 && reportsEverything(report) && report.requestedAt) {
      await this.repo.markAbsentExcept(command.stationId, requestId, report.requestedAt, this.clock());
    }
  }

  // --- Station reports --------------------------------------------------------------------

  /** One part of a report; never throws for what the station sent (the caller answers it regardless). */
  async reported(source: ReportSource, requestId: number, specs: DisplayMessageSpec[], last: boolean): Promise<void> {
    const { stationId, tenantId, receivedAt } = source;
    const before = (await this.repo.findReport(stationId, requestId)) ?? unrequestedReport(stationId, tenantId, requestId);
    const { report, keepMessages } = applyReportPart(before, { messages: 0, last, at: receivedAt });
    // No station holds more than the cap: a part listing more is cut before it reaches one statement.
    const listed = specs.slice(0, MAX_MESSAGES_PER_STATION);
    const stored = keepMessages ? await this.repo.recordReported(tenantId, stationId, requestId, listed, receivedAt, MAX_MESSAGES_PER_STATION) : 0;
    const flags = stored < specs.length && keepMessages ? [...report.flags, 'tooManyMessages' as const] : report.flags;
    const next: DisplayReportRecord = { ...report, messages: before.messages + stored, flags: [...new Set(flags)] };
    await this.repo.saveReport(next);
    if (next.flags.length > 0) this.log.warn({ stationId, requestId, flags: next.flags }, 'display message report flagged');
    if (last && !before.lastPartReceived && reportsEverything(next) && next.requestedAt) {
      await this.repo.markAbsentExcept(stationId, requestId, next.requestedAt, receivedAt);
    }
  }

  // --- REST -------------------------------------------------------------------------------

  async view(scope: TenantScope, stationId: string): Promise<DisplayMessagesView> {
    const now = this.clock();
    const [messages, reports] = await Promise.all([this.repo.messages(scope, stationId), this.repo.reports(scope, stationId, REPORTS_SHOWN)]);
    return { messages, reports: reports.map((report) => ({ ...report, state: reportState(report, now) })) };
  }

  private async tenantOf(stationId: string): Promise<string> {
    const tenantId = await this.ownerOrNull(stationId);
    if (tenantId === null) throw new CodedError('not-found', `station ${stationId} does not exist`);
    return tenantId;
  }

  private async ownerOrNull(stationId: string): Promise<string | null> {
    return (await this.stations.owner(stationId))?.tenantId ?? null;
  }
}

/** A contributed command's parameters, as its kind stored them. */
function paramsOf<P>(command: Command): P {
  return (command as unknown as { params: P }).params;
}

function factOf(command: Command): CommandFact {
  const answer = command.response as DisplayAnswer | null;
  return { outcome: outcomeOf(command.state), stationStatus: answer?.status ?? null, at: command.answeredAt ?? (command.state === 'expired' ? command.expiresAt : command.createdAt), commandId: command.id };
}
