/**
 * Report requests and their multi-part answers: a request id per request (assigned when the
 * command is submitted), the station's answer, each part written as it arrives, and the sweep
 * that gives up on a report whose parts stopped coming. A station's content is never refused:
 * what cannot be stored is flagged on the report and logged; the station is always answered.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock, TimerHandle, Timers } from '../../kernel/time.ts';
import type { Command } from '../commands/index.ts';
import { entryFromReport, type ReportedVariable } from './device-model.ts';
import { replacesAll } from './device-model-commands.ts';
import { monitorProblem, type Monitor } from './device-model-monitor.ts';
import { afterAnswer, justCompleted, markIncomplete, newReport, partProblem, type ReportKind, type ReportRequest } from './device-model-report.ts';
import type { DeviceModelRepository, PartOutcome } from './device-model-repository.ts';
import type { DeviceModelStations } from './device-model-ports.ts';

export interface ReportServiceSettings {
  /** An open report with no answer or part for this long is marked incomplete. */
  quietMs: number;
  /** How often the sweep looks for such reports. */
  sweepMs: number;
}

export const DEFAULT_REPORT_SETTINGS: ReportServiceSettings = { quietMs: 10 * 60_000, sweepMs: 60_000 };

/** One part as the version adapter read it (neutral). */
export interface InventoryPart {
  requestId: number;
  seqNo: number;
  tbc: boolean;
  generatedAt: Date | null;
  variables: ReportedVariable[];
}

export type ReportedMonitor = Omit<Monitor, 'stationId' | 'tenantId' | 'source' | 'reportedAt' | 'reportId'>;

export interface MonitoringPart {
  requestId: number;
  seqNo: number;
  tbc: boolean;
  generatedAt: Date | null;
  monitors: ReportedMonitor[];
}

export interface PartContext {
  stationId: string;
  tenantId: string;
  at: Date;
  log: Logger;
}

export class DeviceModelReportService {
  private timer: TimerHandle | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly deps: { repo: DeviceModelRepository; stations: DeviceModelStations; clock: Clock; timers: Timers; log: Logger },
    private readonly settings: ReportServiceSettings = DEFAULT_REPORT_SETTINGS,
  ) {}

  start(): void {
    this.timer = this.deps.timers.setInterval(() => void this.sweep(), this.settings.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.deps.timers.clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** Called when a report command is submitted: a fresh request id, the request recorded, an older open one given up. */
  async prepare<P extends Record<string, unknown>>(kind: ReportKind, commandType: string, stationId: string, params: P): Promise<P & { requestId: number }> {
    const { tenantId } = await this.deps.stations.get(stationId);
    const requestId = await this.deps.repo.nextRequestId();
    const at = this.deps.clock();
    for (const open of await this.deps.repo.openReports(stationId, kind)) {
      await this.deps.repo.saveReport(markIncomplete(open, `superseded by request ${requestId}`, at), open.updatedAt);
    }
    const { requestId: _ignored, ...criteria } = params;
    await this.deps.repo.createReport(newReport({ id: randomUUID(), stationId, tenantId, kind, requestId, criteria, replaces: replacesAll(kind, params), commandType, at }));
    return { ...params, requestId };
  }

  /** The command's final state: the station took the request, refused it, or was never reached. */
  async settle(kind: ReportKind, command: Command): Promise<void> {
    const requestId = (command.params as { requestId?: unknown }).requestId;
    if (typeof requestId !== 'number') return;
    const report = await this.deps.repo.findReport(command.stationId, kind, requestId);
    if (!report) return;
    const response = command.response as { status?: string; empty?: boolean } | null;
    const outcome = command.state === 'accepted' ? 'accepted' : command.state === 'rejected' ? 'rejected' : 'failed';
    const answer = { outcome, stationStatus: response?.status ?? null, empty: response?.empty === true, commandId: command.id } as const;
    const next = afterAnswer(report, answer, this.deps.clock());
    if (await this.deps.repo.saveReport(next, report.updatedAt)) {
      // Nothing to report (an empty result) is a complete answer too.
      if (justCompleted(report, next) && next.replaces) await this.deps.repo.removeStale(next);
      return;
    }
    // A part arrived meanwhile: answer again on the fresh row (a part is never undone by the answer).
    const fresh = await this.deps.repo.findReport(command.stationId, kind, requestId);
    if (fresh) await this.deps.repo.saveReport(afterAnswer(fresh, answer, this.deps.clock()), fresh.updatedAt);
  }

  async receiveInventory(ctx: PartContext, part: InventoryPart): Promise<PartOutcome | null> {
    return this.receive(ctx, 'inventory', part, part.variables.length, (repo, incoming) =>
      repo.receiveInventoryPart(incoming, (reportId) => part.variables.map((v) => entryFromReport(ctx.stationId, ctx.tenantId, v, ctx.at, reportId))),
    );
  }

  async receiveMonitoring(ctx: PartContext, part: MonitoringPart): Promise<PartOutcome | null> {
    const kept: Monitor[] = [];
    const problems: string[] = [];
    for (const m of part.monitors) {
      const problem = monitorProblem(m);
      if (problem) problems.push(problem);
      else kept.push({ ...m, stationId: ctx.stationId, tenantId: ctx.tenantId, source: 'report', reportedAt: ctx.at, reportId: null });
    }
    if (problems.length > 0) ctx.log.warn({ requestId: part.requestId, problems: problems.slice(0, 5) }, 'monitors that cannot be stored were skipped');
    return this.receive(ctx, 'monitoring', part, kept.length, (repo, incoming) => repo.receiveMonitoringPart(incoming, (reportId) => kept.map((m) => ({ ...m, reportId }))));
  }

  private async receive(
    ctx: PartContext,
    kind: ReportKind,
    part: { requestId: number; seqNo: number; tbc: boolean; generatedAt: Date | null },
    items: number,
    write: (repo: DeviceModelRepository, incoming: Parameters<DeviceModelRepository['receiveInventoryPart']>[0]) => Promise<PartOutcome>,
  ): Promise<PartOutcome | null> {
    const requestProblem = partProblem({ seqNo: part.requestId });
    if (requestProblem) {
      ctx.log.warn({ requestId: part.requestId }, 'report part with an unusable requestId was not stored');
      return null;
    }
    const unsolicited = newReport({ id: randomUUID(), stationId: ctx.stationId, tenantId: ctx.tenantId, kind, requestId: part.requestId, criteria: {}, replaces: false, commandType: null, at: ctx.at, unsolicited: true });
    try {
      const outcome = await write(this.deps.repo, {
        stationId: ctx.stationId,
        tenantId: ctx.tenantId,
        kind,
        requestId: part.requestId,
        header: { seqNo: part.seqNo, tbc: part.tbc, generatedAt: part.generatedAt, items },
        uncountable: partProblem(part),
        at: ctx.at,
        unsolicited,
      });
      if (outcome.duplicate) ctx.log.info({ requestId: part.requestId, seqNo: part.seqNo }, 'repeated report part ignored');
      if (outcome.completed) ctx.log.info({ requestId: part.requestId, kind, parts: outcome.report.partsReceived, items: outcome.report.itemsReceived, removed: outcome.removed }, 'report complete');
      return outcome;
    } catch (error) {
      // The station is answered all the same (it has nothing to correct); the log says what was lost.
      ctx.log.error({ err: error, requestId: part.requestId, seqNo: part.seqNo, kind }, 'report part could not be stored');
      return null;
    }
  }

  /** Open reports quiet for too long are incomplete: no more parts are waited for, what arrived stays. */
  sweep(): Promise<void> {
    if (this.sweeping) return this.sweeping;
    this.sweeping = (async () => {
      try {
        const now = this.deps.clock();
        const quiet = await this.deps.repo.quietReports(new Date(now.getTime() - this.settings.quietMs), 500);
        for (const report of quiet) {
          await this.deps.repo.saveReport(markIncomplete(report, `no part for ${Math.round(this.settings.quietMs / 1000)} s`, now), report.updatedAt);
        }
      } catch (error) {
        this.deps.log.error({ err: error }, 'report sweep failed');
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  listReports(stationId: string, query: { kind?: ReportKind; limit: number; offset: number }): Promise<{ items: ReportRequest[]; total: number }> {
    return this.deps.repo.listReports(stationId, query);
  }
}
