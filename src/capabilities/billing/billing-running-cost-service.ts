/**
 * Running cost to the station and the driver (issue 15): while a session runs, its station is sent
 * what it costs so far; at the end, a 1.6 station that shows cost gets the CDR's total.
 *
 * - 2.0.1 / 2.1: the `costUpdated` command (CostUpdated) to every station with a priced session.
 * - 1.6: the `californiaCost` command (the California pricing DataTransfer: running, then final),
 *   only to stations whose configuration, as the CSMS last read or set it, has
 *   CustomDisplayCostAndPrice = true: a station without the extension would answer
 *   UnknownVendorId to every message.
 *
 * Cadence: a `transaction.updated` of an open session sends when `intervalMs` passed since the
 * last one sent for it and the total moved. The figure is BillingService.price(tx), the call behind
 * the REST view's live cost and the CDR. Both go through the durable command queue (ADR 23): stored
 * before the wire, delivered in order, after a reconnect too. What was last sent is kept in memory
 * on the node that holds the socket (events are local); a node that takes a station over sends at
 * the session's next update.
 */
import type { Logger } from 'pino';
import { LRUCache } from 'lru-cache';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import { KeyedQueue } from '../../kernel/keyed-queue.ts';
import type { DomainEvent, EventBus } from '../../cluster/event-bus.ts';
import type { AnyCommandInput, Command } from '../commands/index.ts';
import type { PricedSession, TariffModel } from '../tariffs/index.ts';
import type { Transaction } from '../transactions/index.ts';
import type { Cdr } from './billing-cdr.ts';
import type { PricingPin } from './billing-repository.ts';
import {
  COST_UPDATED,
  DRIVER_COST,
  amountOf,
  costChanged,
  finalPriceText,
  runningCostDue,
  unitPricesOf,
  type CostUpdatedParams,
  type DriverCostParams,
  type SentCost,
} from './billing-running-cost.ts';
import './billing-events.ts';
import { TrackedWork } from '../../kernel/tracked-work.ts';

export type CostKind = typeof COST_UPDATED | typeof DRIVER_COST;

export interface RunningCostDeps {
  billing: {
    price(tx: Transaction): Promise<{ pin: PricingPin; priced: PricedSession | null }>;
    cdr(id: string): Promise<Cdr>;
  };
  transactions: {
    transaction(id: string): Promise<Transaction | null>;
    /** Our id -> the station and its own id (null: not ours). */
    resolve(id: string): Promise<{ stationId: string; ocppTransactionId: string } | null>;
  };
  tariffs: { versionOf(id: string, version: number): Promise<{ tariff: TariffModel } | null> };
  commands: { submit(stationId: string, input: AnyCommandInput): Promise<Command> };
  /** Whether a 1.6 station displays cost and price (its configuration as the CSMS last learnt it). */
  displaysCost(stationId: string): Promise<boolean>;
  /** The command kind that carries the cost, per OCPP version; a version without one gets nothing. */
  kindFor: Readonly<Record<string, CostKind | undefined>>;
  events: EventBus;
  clock: Clock;
  log: Logger;
  /** Least time between two running costs of one session; 0: none are sent. */
  intervalMs: number;
}

/** Sessions remembered at once per node (a session's entry is dropped at its end). */
const MAX_REMEMBERED = 100_000;

export class RunningCostService {
  private readonly queue = new KeyedQueue();
  private readonly sent = new LRUCache<string, SentCost>({ max: MAX_REMEMBERED });
  private readonly work: TrackedWork;
  private unsubscribe: (() => void) | null = null;
  private readonly log: Logger;

  constructor(private readonly deps: RunningCostDeps) {
    this.log = deps.log.child({ component: 'billing-running-cost' });
    this.work = new TrackedWork((error, context) => this.log.error({ err: error, ...context }, 'sending the running cost to the station failed'));
  }

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((event) => this.onEvent(event), { types: ['transaction.updated', 'transaction.ended', 'cdr.created'] });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.idle();
  }

  /** Resolves when the work started so far is done (tests). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  private onEvent(event: DomainEvent): void {
    if (event.type === 'transaction.updated' && event.state !== 'completed') {
      this.track(this.queue.run(event.transactionId, () => this.sendRunning(event.transactionId)), event.transactionId);
    } else if (event.type === 'transaction.ended') {
      // Behind the updates queued before it, so a late one cannot bring the entry back.
      this.track(this.queue.run(event.transactionId, async () => void this.sent.delete(event.transactionId)), event.transactionId);
    } else if (event.type === 'cdr.created' && event.kind === 'debit' && event.totalInclTaxMinor !== null) {
      this.track(this.queue.run(event.transactionId, () => this.sendFinal(event.cdrId)), event.transactionId);
    }
  }

  /** One running cost, when it is due and the total moved. */
  private async sendRunning(transactionId: string): Promise<void> {
    const now = this.deps.clock();
    const last = this.sent.get(transactionId);
    if (!runningCostDue(last, now, this.deps.intervalMs)) return;
    const tx = await this.deps.transactions.transaction(transactionId);
    if (!tx || tx.state === 'completed') return;
    const kind = this.deps.kindFor[tx.ocppVersion];
    if (!kind) return;
    if (kind === DRIVER_COST && !(await this.deps.displaysCost(tx.stationId))) {
      this.log.debug({ stationId: tx.stationId, transactionId }, 'running cost not sent: the station does not show cost');
      return;
    }
    const { pin, priced } = await this.deps.billing.price(tx);
    if (!priced || !costChanged(last, priced.totalInclTax)) return;
    const cost = amountOf(priced.totalInclTax);
    const params: CostUpdatedParams | DriverCostParams =
      kind === COST_UPDATED
        ? { transactionId: tx.id, totalCost: cost }
        : {
            transactionId: tx.id,
            message: 'runningCost',
            cost,
            meterWh: tx.lastMeterWh ?? tx.meterStartWh ?? 0,
            at: (tx.lastMeterAt ?? tx.meterStartAt ?? now).toISOString(),
            state: 'charging',
            prices: await this.unitPrices(pin, priced),
          };
    const command = await this.deps.commands.submit(tx.stationId, { type: kind, params });
    this.sent.set(transactionId, { at: now, total: priced.totalInclTax });
    this.log.debug({ stationId: tx.stationId, transactionId, commandId: command.id, total: priced.totalInclTax }, 'running cost queued');
  }

  /** The final cost of a 1.6 session: the CDR's total, exactly. */
  private async sendFinal(cdrId: string): Promise<void> {
    const cdr = await this.deps.billing.cdr(cdrId);
    const tx = await this.deps.transactions.transaction(cdr.transactionId);
    this.sent.delete(cdr.transactionId);
    if (!tx || cdr.totalInclTax === null || this.deps.kindFor[tx.ocppVersion] !== DRIVER_COST) return;
    if (!(await this.deps.displaysCost(tx.stationId))) {
      this.log.debug({ stationId: tx.stationId, transactionId: tx.id, cdrId }, 'final cost not sent: the station does not show cost');
      return;
    }
    const params: DriverCostParams = {
      transactionId: tx.id,
      message: 'finalCost',
      cost: amountOf(cdr.totalInclTax),
      priceText: finalPriceText(cdr.totalInclTax, cdr.currency, cdr.energyWh),
    };
    const command = await this.deps.commands.submit(tx.stationId, { type: DRIVER_COST, params });
    this.log.debug({ stationId: tx.stationId, transactionId: tx.id, cdrId, commandId: command.id, total: cdr.totalInclTax }, 'final cost queued');
  }

  private async unitPrices(pin: PricingPin, priced: PricedSession) {
    if (pin.tariffId === null || pin.tariffVersion === null) return {};
    const stored = await this.deps.tariffs.versionOf(pin.tariffId, pin.tariffVersion);
    return stored ? unitPricesOf(stored.tariff, priced.periods.at(-1)) : {};
  }

  // --- Submission (REST and the sends above): the station's own transaction id, like a stop ----

  /** Our id, or the station's own id on the addressed station (the built-in stop resolves the same way). */
  private async resolve(stationId: string, transactionId: string): Promise<string> {
    const resolved = (await this.deps.transactions.resolve(transactionId)) ?? { stationId, ocppTransactionId: transactionId };
    if (resolved.stationId !== stationId) throw new CodedError('invalid-input', `transaction ${transactionId} belongs to station ${resolved.stationId}, not ${stationId}`);
    return resolved.ocppTransactionId;
  }

  async prepareCostUpdated(stationId: string, p: CostUpdatedParams): Promise<CostUpdatedParams> {
    return { ...p, ocppTransactionId: await this.resolve(stationId, p.transactionId) };
  }

  async prepareDriverCost(stationId: string, p: DriverCostParams): Promise<DriverCostParams> {
    const ocppTransactionId = await this.resolve(stationId, p.transactionId);
    if (p.message === 'finalCost') return { ...p, ocppTransactionId, priceText: p.priceText ?? finalPriceText(String(p.cost), null, null) };
    const tx = p.meterWh === undefined ? await this.deps.transactions.transaction(p.transactionId) : null;
    return {
      ...p,
      ocppTransactionId,
      meterWh: p.meterWh ?? tx?.lastMeterWh ?? tx?.meterStartWh ?? 0,
      at: p.at ?? this.deps.clock().toISOString(),
    };
  }

  private track(work: Promise<unknown>, transactionId: string): void {
    void this.work.track(work, { transactionId });
  }
}
