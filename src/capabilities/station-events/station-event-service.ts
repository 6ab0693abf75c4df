/**
 * Station-events shell: keeps what a station reports outside transactions and
 * the faults it raises. Every event is written before the station gets its
 * answer (a message answered is a message kept), then its effect on the
 * station's problems is applied and announced.
 */
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { KeyedQueue } from '../../kernel/keyed-queue.ts';
import type { EventBus } from '../../cluster/event-bus.ts';
import {
  isDerivedFault,
  mayRestore,
  problemChange,
  problemErrorCode,
  problemTargets,
  type ConnectorSnapshot,
  type StationEvent,
  type StationEventReport,
  type StationMeterSample,
  type StationProblem,
} from './station-event.ts';
import type { EventFilter, MeterFilter, StationEventsRepository } from './station-event-repository.ts';
import './station-event-events.ts';

/** What the service needs of the stations capability: which exist, their connectors' statuses, and a way to report one. */
export interface StationStatuses {
  exists(stationId: string): Promise<boolean>;
  connectors(stationId: string): Promise<ConnectorSnapshot[]>;
  /** Records a status as if the station had reported it (history, event stream, every reader of the status). */
  report(stationId: string, status: ConnectorSnapshot, at: Date): Promise<void>;
}

/** Who sent the message: the station and its tenant, and when it arrived. */
export interface Reporter {
  stationId: string;
  tenantId: string;
  receivedAt: Date;
}

export class StationEventService {
  private readonly log: Logger;
  private readonly problemsQueue = new KeyedQueue();

  constructor(
    private readonly repo: StationEventsRepository,
    private readonly events: EventBus,
    private readonly stations: StationStatuses,
    log: Logger,
  ) {
    this.log = log.child({ component: 'station-events' });
  }

  /**
   * Keeps the events of one message and applies them to the station's problems, one station's
   * problems at a time (a status read and written back must not interleave with another's).
   */
  async record(from: Reporter, reports: readonly StationEventReport[]): Promise<StationEvent[]> {
    const stored = await this.repo.append(from.stationId, from.tenantId, from.receivedAt, reports);
    for (const event of stored) {
      await this.problemsQueue.run(event.stationId, () => this.applyToProblems(event));
      this.events.publish({
        type: 'station.event-recorded',
        stationId: event.stationId,
        at: event.receivedAt.toISOString(),
        eventId: event.id,
        kind: event.kind,
        eventType: event.type,
        problem: event.problem,
      });
    }
    return stored;
  }

  /**
   * Keeps a certificate request and says whether the CSMS will answer it with a certificate.
   * The CSMS has no certificate authority yet (issue 17 adds it): the request is kept and refused,
   * so the station does not wait for a CertificateSigned that would never come.
   */
  async requestCertificate(from: Reporter, report: StationEventReport): Promise<boolean> {
    await this.record(from, [report]);
    return false;
  }

  async recordMeterValues(from: Reporter, samples: readonly StationMeterSample[]): Promise<void> {
    await this.repo.appendMeterValues(from.stationId, from.tenantId, samples);
  }

  /**
   * Raises or clears a problem, and shows it in the status vocabulary: a raised problem makes its
   * connectors (or its EVSE's, or the station itself) Faulted, with the problem as the error code;
   * a cleared one gives back the status it replaced, unless the station reported another since or
   * another problem still covers the connector.
   */
  private async applyToProblems(event: StationEvent): Promise<void> {
    const change = problemChange(event);
    if (change.kind === 'none') return;
    let key: string;
    if (change.kind === 'raise') {
      const connectors = await this.stations.connectors(event.stationId);
      const targets = problemTargets(change.problem, connectors);
      const active = await this.repo.problems(event.stationId);
      // A connector another problem already faulted keeps, as its status before, the one that problem replaced.
      const before = (t: { evseId: number; connectorId: number }): ConnectorSnapshot | undefined => {
        const same = (c: { evseId: number; connectorId: number }) => c.evseId === t.evseId && c.connectorId === t.connectorId;
        const current = connectors.find(same);
        if (!isDerivedFault(current)) return current;
        return active.flatMap((p) => p.statusBefore ?? []).find(same);
      };
      const statusBefore = targets.map(before).filter((c): c is ConnectorSnapshot => c !== undefined);
      if (!(await this.repo.raiseProblem({ ...change.problem, statusBefore }))) return;
      key = change.problem.key;
      const code = problemErrorCode(change.problem);
      for (const t of targets) await this.stations.report(event.stationId, { ...t, status: 'Faulted', activity: null, ocppStatus: null, errorCode: code, info: event.summary }, event.at);
    } else {
      const cleared = await this.repo.clearProblem(event.stationId, change.key);
      if (!cleared) return;
      key = cleared.key;
      await this.restore(cleared, event.at);
    }
    this.log.info({ stationId: event.stationId, key, raised: change.kind === 'raise', eventId: event.id }, change.kind === 'raise' ? 'station problem raised' : 'station problem cleared');
    this.events.publish({
      type: 'station.problem-changed',
      stationId: event.stationId,
      at: event.receivedAt.toISOString(),
      key,
      raised: change.kind === 'raise',
      evseId: event.evseId,
      connectorId: event.connectorId,
      summary: event.summary,
    });
  }

  private async restore(cleared: StationProblem, at: Date): Promise<void> {
    const connectors = await this.stations.connectors(cleared.stationId);
    const remaining = await this.repo.problems(cleared.stationId);
    for (const target of problemTargets(cleared, connectors)) {
      const same = (c: { evseId: number; connectorId: number }) => c.evseId === target.evseId && c.connectorId === target.connectorId;
      const covered = remaining.some((p) => problemTargets(p, connectors).some(same));
      if (!mayRestore(connectors.find(same), covered)) continue;
      const before = cleared.statusBefore?.find(same);
      const back = before ?? { ...target, status: 'Available', activity: null, ocppStatus: null, errorCode: null, info: null };
      await this.stations.report(cleared.stationId, back, at);
    }
  }

  // --- REST use cases -------------------------------------------------------------

  async list(stationId: string, filter: EventFilter): Promise<{ items: StationEvent[]; total: number }> {
    await this.mustExist(stationId);
    return this.repo.list(stationId, filter);
  }

  async problems(stationId: string): Promise<StationProblem[]> {
    await this.mustExist(stationId);
    return this.repo.problems(stationId);
  }

  problemsInScope(scope: TenantScope, filter: { limit: number; offset: number }): Promise<{ items: StationProblem[]; total: number }> {
    return this.repo.problemsInScope(scope, filter);
  }

  async meterValues(stationId: string, filter: MeterFilter): Promise<StationMeterSample[]> {
    await this.mustExist(stationId);
    return this.repo.meterValues(stationId, filter);
  }

  private async mustExist(stationId: string): Promise<void> {
    if (!(await this.stations.exists(stationId))) throw new CodedError('not-found', `station ${stationId} does not exist`);
  }
}
