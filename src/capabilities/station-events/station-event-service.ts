/**
 * Station-events shell: keeps what a station reports outside transactions and
 * the faults it raises. Every event is written before the station gets its
 * answer (a message answered is a message kept), then its effect on the
 * station's problems is applied and announced.
 */
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { EventBus } from '../../cluster/event-bus.ts';
import { problemChange, type StationEvent, type StationEventReport, type StationMeterSample, type StationProblem } from './station-event.ts';
import type { EventFilter, MeterFilter, StationEventsRepository } from './station-event-repository.ts';
import './station-event-events.ts';

/** Which stations exist (the stations capability answers). */
export interface StationExistence {
  exists(stationId: string): Promise<boolean>;
}

/** Who sent the message: the station and its tenant, and when it arrived. */
export interface Reporter {
  stationId: string;
  tenantId: string;
  receivedAt: Date;
}

export class StationEventService {
  private readonly log: Logger;

  constructor(
    private readonly repo: StationEventsRepository,
    private readonly events: EventBus,
    private readonly stations: StationExistence,
    log: Logger,
  ) {
    this.log = log.child({ component: 'station-events' });
  }

  /** Keeps the events of one message and applies them to the station's problems. */
  async record(from: Reporter, reports: readonly StationEventReport[]): Promise<StationEvent[]> {
    const stored = await this.repo.append(from.stationId, from.tenantId, from.receivedAt, reports);
    for (const event of stored) {
      await this.applyToProblems(event);
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

  private async applyToProblems(event: StationEvent): Promise<void> {
    const change = problemChange(event);
    if (change.kind === 'none') return;
    const changed = change.kind === 'raise' ? await this.repo.raiseProblem(change.problem) : await this.repo.clearProblem(event.stationId, change.key);
    if (!changed) return;
    const key = change.kind === 'raise' ? change.problem.key : change.key;
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
