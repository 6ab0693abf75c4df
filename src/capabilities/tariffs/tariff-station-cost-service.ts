/**
 * The station's own cost of a session, checked against our CDR (tariff-station-cost.ts). When a
 * debit CDR is written (`cdr.created`: the first one, or a correction's), the transaction's
 * timeline is read for the cost the station sent (kept by the transactions 2.1 adapter in the
 * event's summary); a transaction without one (the station does not price locally) is left alone.
 * The check is stored per transaction (GET /api/v1/station-costs) and a disagreement is logged as a
 * warning with both totals. The CDR is never changed: it is what our engine priced.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/time.ts';
import { KeyedQueue } from '../../kernel/keyed-queue.ts';
import { TrackedWork } from '../../kernel/tracked-work.ts';
import type { DomainEvent, EventBus } from '../../cluster/event-bus.ts';
import { checkStationCost, finalStationCost, isFlagged } from './tariff-station-cost.ts';
import type { StationCostFilter, StationCostRecord, StationCostRepository } from './tariff-station-cost-repository.ts';

/** A debit CDR as this check reads it (the billing capability's, through a port: billing is built after tariffs). */
export interface CheckedCdr {
  id: string;
  tenantId: string;
  transactionId: string;
  stationId: string;
  currency: string | null;
  totalExclTax: string | null;
  totalInclTax: string | null;
}

export interface StationCostDeps {
  repo: StationCostRepository;
  /** The summaries of a transaction's timeline, in the order received. */
  timeline(transactionId: string): Promise<ReadonlyArray<Readonly<Record<string, unknown>>>>;
  cdr(id: string): Promise<CheckedCdr>;
  events: EventBus;
  clock: Clock;
  log: Logger;
}

export class StationCostService {
  private readonly queue = new KeyedQueue();
  private readonly work: TrackedWork;
  private readonly log: Logger;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: StationCostDeps) {
    this.log = deps.log.child({ component: 'tariff-station-cost' });
    this.work = new TrackedWork((error, context) => this.log.error({ err: error, ...context }, 'checking the station\'s cost against the CDR failed'));
  }

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((event) => this.onEvent(event), { types: ['cdr.created'] });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.idle();
  }

  /** Resolves when the checks started so far are done (tests). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  list(filter: StationCostFilter): Promise<{ items: StationCostRecord[]; total: number }> {
    return this.deps.repo.list(filter);
  }

  private onEvent(event: DomainEvent): void {
    if (event.type !== 'cdr.created' || event.kind !== 'debit') return;
    // Per transaction in order: a correction's debit is checked after the first one.
    void this.work.track(this.queue.run(event.transactionId, () => this.check(event.cdrId, event.transactionId)), { transactionId: event.transactionId, cdrId: event.cdrId });
  }

  /** Checks one debit CDR against the station's cost of its transaction, when the station sent one. */
  async check(cdrId: string, transactionId: string): Promise<StationCostRecord | null> {
    const station = finalStationCost(await this.deps.timeline(transactionId));
    if (!station) return null;
    const cdr = await this.deps.cdr(cdrId);
    const ours = { currency: cdr.currency, totalExclTax: cdr.totalExclTax, totalInclTax: cdr.totalInclTax };
    const verdict = checkStationCost(station, { cdrId, ...ours });
    const record: StationCostRecord = {
      ...verdict,
      transactionId,
      tenantId: cdr.tenantId,
      stationId: cdr.stationId,
      cdrId,
      flagged: isFlagged(verdict.status),
      station,
      ours,
      checkedAt: this.deps.clock(),
    };
    await this.deps.repo.save(record);
    const context = { stationId: cdr.stationId, transactionId, cdrId, status: verdict.status, station: { currency: station.currency, totalInclTax: station.totalInclTax, totalExclTax: station.totalExclTax }, ours, differenceMinor: verdict.difference };
    if (record.flagged) this.log.warn(context, 'the station\'s own cost of a session disagrees with its CDR');
    else this.log.debug(context, 'the station\'s own cost of a session agrees with its CDR');
    return record;
  }
}
