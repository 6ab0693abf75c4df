/**
 * Stuck transactions shell: a periodic sweep (and a prompt one after relevant
 * events) gathers facts, runs the detection rules (stuck.ts), opens a case per
 * stuck transaction and drives its ladder (stuck-ladder.ts). Every station
 * step is a command of the commands capability, so it is durable and visible;
 * the last step closes the books through the transactions capability.
 */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { TimerHandle } from '../../kernel/time.ts';
import type { DomainEvent } from '../../cluster/event-bus.ts';
import type { Transaction } from '../transactions/index.ts';
import { answerOf } from '../commands/index.ts';
import { detect, isConnectorFree, stationRates, type StuckReason, type TransactionFacts } from './stuck.ts';
import { advance, approve, attachCommand, closed, dismiss, isFinalCase, openCase, type CommandProgress, type LadderPolicy, type LadderStep, type StuckCase } from './stuck-ladder.ts';
import type { StuckRepository } from './stuck-repository.ts';
import { StationFactsCache } from './stuck-station-facts-service.ts';
import { StuckMetrics } from './stuck-metrics.ts';
import type { StuckServiceDeps, StuckSettings, StuckSiteSettings } from './stuck-ports.ts';
import { automaticOf, commandFor, transactionQuestion } from './stuck-steps.ts';

/** Upper bound of transactions looked at per sweep. */
const SWEEP_LIMIT = 20_000;
/** Events coalesce into one sweep this soon after the first. */
const POKE_DELAY_MS = 100;

interface Observed {
  tx: Transaction;
  nextStartAt: Date | null;
  reasons: StuckReason[];
}

export class StuckService {
  readonly metrics = new StuckMetrics();
  private readonly facts: StationFactsCache;
  private readonly log: Logger;
  /** Latest "the transaction is alive" evidence that is not an event of it (ask answers, cleared cases). */
  private readonly aliveAt = new Map<string, Date>();
  /** Latest GetTransactionStatus answer per transaction. */
  private readonly answers = new Map<string, { at: Date; ongoing: boolean; messagesInQueue: boolean }>();
  /** Stations with a case in progress (their events are looked at at once). */
  private stationsWithCases = new Set<string>();
  private timer: TimerHandle | null = null;
  private pokeTimer: TimerHandle | null = null;
  private sweeping: Promise<void> | null = null;
  private again = false;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly deps: StuckServiceDeps,
    private readonly settings: StuckSettings,
  ) {
    this.facts = new StationFactsCache(deps.stations);
    this.log = deps.log.child({ component: 'stuck' });
  }

  async start(): Promise<void> {
    const dayAgo = new Date(this.deps.clock().getTime() - 24 * 3600_000);
    for (const { transactionId, at } of await this.deps.repo.clearedSince(dayAgo)) this.aliveAt.set(transactionId, at);
    // Alone, this node sweeps: it listens from the start. In a cluster only the holder of the
    // sweep lease listens (see listen), so no node but one hears every station's events.
    if (!this.deps.lease) this.listen(true);
    this.timer = this.deps.timers.setInterval(() => this.poke(0), this.settings.sweepIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listen(false);
    this.deps.timers.clearInterval(this.timer);
    this.deps.timers.clearTimeout(this.pokeTimer);
    await this.sweeping;
  }

  /** Per-site settings: the defaults with the site's overrides. */
  /** The injected clock's now (the REST edge's default time window is counted from it). */
  now(): Date {
    return this.deps.clock();
  }

  settingsFor(siteId: string | null): StuckSiteSettings {
    return { ...this.settings.defaults, ...(siteId ? this.settings.sites[siteId] : undefined) };
  }

  /**
   * Station events of every node, and session ends (to sweep again soon): the node running
   * the sweep judges stations connected anywhere. Per-message events (transaction.updated)
   * are not needed: liveness comes from the stored transactions. What was learnt while not
   * listening may be stale, so the station facts are read afresh when listening starts.
   */
  private listen(on: boolean): void {
    if (on === (this.unsubscribe !== null)) return;
    if (!on) {
      this.unsubscribe?.();
      this.unsubscribe = null;
      return;
    }
    this.facts.clear();
    this.unsubscribe = this.deps.events.subscribe((event) => this.onEvent(event), {
      scope: 'cluster',
      types: ['station.connected', 'station.disconnected', 'station.booted', 'station.status-changed', 'transaction.ended'],
    });
  }

  /** Events that can change a verdict soon; everything else waits for the periodic sweep. */
  private onEvent(event: DomainEvent): void {
    if (!('stationId' in event)) return;
    this.facts.onEvent(event);
    const hasCase = this.stationsWithCases.has(event.stationId);
    if (event.type === 'transaction.ended' && hasCase) this.poke(POKE_DELAY_MS);
    if (event.type === 'station.status-changed' && (hasCase || isConnectorFree(event))) this.poke(POKE_DELAY_MS);
  }

  /** Runs a sweep soon; a sweep already running runs once more when it is done. */
  poke(delayMs: number): void {
    if (this.stopped) return;
    if (this.sweeping) {
      this.again = true;
      return;
    }
    if (this.pokeTimer) return;
    this.pokeTimer = this.deps.timers.setTimeout(() => {
      this.pokeTimer = null;
      void this.sweep();
    }, delayMs);
    this.pokeTimer.unref();
  }

  /** One pass over every unsettled transaction and every running case. */
  sweep(): Promise<void> {
    if (this.sweeping) {
      this.again = true;
      return this.sweeping;
    }
    this.sweeping = (async () => {
      try {
        this.again = false;
        await this.pass();
      } catch (error) {
        this.log.error({ err: error }, 'stuck sweep failed');
      } finally {
        this.sweeping = null;
        // Events that came during the pass: one more, after a short pause (bounded rate under event storms).
        if (this.again) this.poke(POKE_DELAY_MS);
      }
    })();
    return this.sweeping;
  }

  private async pass(): Promise<void> {
    if (this.deps.lease) {
      const holding = await this.deps.lease.acquire(this.settings.sweepIntervalMs * 3);
      this.listen(holding);
      if (!holding) return;
    }
    const now = this.deps.clock();
    const rows = await this.deps.transactions.unsettled(SWEEP_LIMIT);
    const observed = new Map<string, Observed>();
    // A stopping node leaves the rest of the pass to the next holder (its stop must not wait
    // for a pass over every open transaction of a large fleet).
    for (const { transaction: tx, nextStartAt } of rows) {
      if (this.stopped) return;
      const reasons = await this.evaluate(tx, nextStartAt, now);
      if (reasons) observed.set(tx.id, { tx, nextStartAt, reasons });
    }
    const running = await this.deps.repo.running();
    const busy = new Set(running.map((c) => c.transactionId));
    for (const c of running) if (!this.stopped) await this.step(c, observed, now);
    for (const { tx, reasons } of observed.values()) {
      if (this.stopped) return;
      if (reasons.length === 0 || busy.has(tx.id)) continue;
      const fresh = openCase(randomUUID(), tx, reasons, now);
      if (!(await this.deps.repo.create(fresh))) continue;
      this.metrics.detected(reasons);
      this.log.warn({ stationId: tx.stationId, transactionId: tx.id, reasons }, 'stuck transaction detected');
      await this.step(fresh, observed, now);
    }
    const stillRunning = await this.deps.repo.running();
    this.metrics.setRunning(stillRunning);
    this.stationsWithCases = new Set(stillRunning.map((c) => c.stationId));
    // Evidence about transactions that are settled now is no longer needed.
    for (const map of [this.aliveAt, this.answers]) for (const id of map.keys()) if (!observed.has(id)) map.delete(id);
  }

  /** The rules that fire for a transaction now; null when its station is unknown. */
  private async evaluate(tx: Transaction, nextStartAt: Date | null, now: Date): Promise<StuckReason[] | null> {
    const station = await this.facts.get(tx.stationId);
    if (!station) return null;
    const input = { tx: this.factsOf(tx), station: station.facts, nextStartOnEvse: nextStartAt, statusAnswer: this.answers.get(tx.id) ?? null, now };
    return detect(input, this.settingsFor(station.siteId));
  }

  private factsOf(tx: Transaction): TransactionFacts {
    const alive = this.aliveAt.get(tx.id);
    return {
      id: tx.id,
      stationId: tx.stationId,
      evseId: tx.evseId,
      state: tx.state,
      startedAt: tx.startedAt,
      lastAliveAt: alive && alive > tx.lastEventAt ? alive : tx.lastEventAt,
      // updatedAt is set by every merge: the CSMS's time of the last message about it.
      lastReceivedAt: tx.updatedAt,
      meterStartWh: tx.meterStartWh,
      lastMeterWh: tx.lastMeterWh,
      meterStopWh: tx.meterStopWh,
      flags: tx.flags,
    };
  }

  /** Advances one case as far as it goes now, carrying out its effects. */
  private async step(start: StuckCase, observed: Map<string, Observed>, now: Date): Promise<void> {
    let c = start;
    const seen = observed.get(c.transactionId);
    const tx = seen?.tx ?? (await this.deps.transactions.get(c.transactionId).then((r) => r.transaction, () => null));
    const station = await this.facts.get(c.stationId);
    const settings = this.settingsFor(station?.siteId ?? null);
    const connector = c.evseId === null ? undefined : station?.facts.connectors.get(c.evseId);
    const others = [...observed.values()].filter((o) => o.tx.stationId === c.stationId && o.tx.id !== c.transactionId && o.tx.state === 'active');
    const policy: LadderPolicy = {
      automatic: automaticOf(settings.automaticSteps),
      stepTimeoutSec: settings.stepTimeoutSec,
      resetWithOtherTransactions: settings.resetWithOtherTransactions,
    };
    const running = c.steps.at(-1)?.endedAt === null ? c.steps.at(-1) : undefined;
    const command = running?.commandId ? await this.progress(running.commandId, c.transactionId) : null;
    // Detection again: the running step's answer may have changed the picture.
    const reasons = seen ? ((await this.evaluate(seen.tx, seen.nextStartAt, now)) ?? seen.reasons) : c.reasons;
    const { next, effect } = advance(c, {
      now,
      policy,
      online: station?.facts.online ?? false,
      reasons,
      transactionClosed: tx === null || tx.state === 'completed',
      otherHealthyTransaction: others.some((o) => o.reasons.length === 0),
      connectorUnplugged: connector?.status === 'Available',
      connectorFree: isConnectorFree(connector),
      command,
    });
    c = next;
    if (effect?.kind === 'command' && tx) c = await this.send(c, effect.step, tx, settings.stepTimeoutSec);
    else if (effect?.kind === 'close') c = await this.close(c, seen, connector?.reportedAt ?? null, now);
    if (c.status === 'cleared') this.aliveAt.set(c.transactionId, now);
    const last = (x: StuckCase) => x.steps.at(-1);
    const unchanged = !effect && c.status === start.status && c.steps.length === start.steps.length && last(c)?.endedAt === last(start)?.endedAt && c.approvedStep === start.approvedStep;
    if (unchanged) return; // nothing to write (a new case was written by create)
    await this.deps.repo.save(c);
    if (isFinalCase(c.status)) this.metrics.finished(c);
  }

  private async progress(commandId: string, transactionId: string): Promise<CommandProgress> {
    const command = await this.deps.commands.get(commandId);
    const progress: CommandProgress = { state: command.state, error: command.error, answeredAt: command.answeredAt };
    const answer = answerOf(command, 'getTransactionStatus');
    if (answer) {
      const ongoing = answer.transactionOngoing;
      progress.ongoing = ongoing;
      progress.messagesInQueue = answer.messagesInQueue;
      if (ongoing !== undefined && command.answeredAt) {
        this.answers.set(transactionId, { at: command.answeredAt, ongoing, messagesInQueue: progress.messagesInQueue });
        if (ongoing) this.aliveAt.set(transactionId, command.answeredAt);
      }
    }
    return progress;
  }

  private async send(c: StuckCase, step: Exclude<LadderStep, 'close'>, tx: Transaction, timeoutSec: number): Promise<StuckCase> {
    const input = commandFor(step, tx, { answersTransactionQuestion: this.deps.commands.expressible(tx.ocppVersion, transactionQuestion(tx)) });
    try {
      const command = await this.deps.commands.submit(c.stationId, input, { expiresInSec: Math.max(1, Math.ceil(timeoutSec)) });
      this.log.info({ stationId: c.stationId, transactionId: c.transactionId, step, commandId: command.id }, 'stuck remediation step sent');
      // Follow the outcome promptly instead of waiting for the next sweep.
      void this.followUp(command.id, timeoutSec);
      return attachCommand(c, command.id);
    } catch (error) {
      const steps = c.steps.map((s, i) => (i === c.steps.length - 1 ? { ...s, endedAt: this.deps.clock(), outcome: 'failed' as const, detail: (error as Error).message } : s));
      return { ...c, steps };
    }
  }

  /** Looks at the case again as soon as the command has an outcome, and when the step's time is up. */
  private async followUp(commandId: string, timeoutSec: number): Promise<void> {
    const deadline = this.deps.timers.setTimeout(() => this.poke(0), timeoutSec * 1000 + 10);
    deadline.unref();
    await this.deps.commands.waitForOutcome(commandId, timeoutSec).catch(() => null);
    this.poke(0);
  }

  private async close(c: StuckCase, seen: Observed | undefined, connectorAt: Date | null, now: Date): Promise<StuckCase> {
    const endedAt = c.reasons.includes('superseded') ? (seen?.nextStartAt ?? null) : c.reasons.includes('connector-free') ? connectorAt : null;
    const result = await this.deps.transactions.forceClose(c.transactionId, { reason: 'stuck', endedAt, key: `stuck-close:${c.id}`, detail: { caseId: c.id, reasons: c.reasons } });
    if (!result) return { ...closed(c, now, 'closed meanwhile by the station'), status: 'resolved' };
    this.answers.delete(c.transactionId);
    return closed(c, now, `meterStopWh ${result.estimate.meterStopWh ?? 'unknown'} from ${result.estimate.source}`);
  }

  // --- Operators (REST) ---------------------------------------------------------------

  /** Who owns a case: the tenant of its transaction, at its station. */
  owner(id: string): Promise<{ tenantId: string; stationId: string } | null> {
    return this.deps.repo.owner(id);
  }

  get(id: string): Promise<StuckCase> {
    return this.deps.repo.find(id).then((c) => {
      if (!c) throw new CodedError('not-found', `stuck case ${id} does not exist`);
      return c;
    });
  }

  list(filter: Parameters<StuckRepository['list']>[0]) {
    return this.deps.repo.list(filter);
  }

  async approve(id: string): Promise<StuckCase> {
    return this.operate(id, (c, now) => approve(c, now));
  }

  async dismiss(id: string): Promise<StuckCase> {
    const done = await this.operate(id, (c, now) => dismiss(c, now));
    this.aliveAt.set(done.transactionId, done.updatedAt);
    this.metrics.finished(done);
    return done;
  }

  private async operate(id: string, change: (c: StuckCase, now: Date) => StuckCase | string): Promise<StuckCase> {
    await this.sweeping;
    const current = await this.get(id);
    const next = change(current, this.deps.clock());
    if (typeof next === 'string') throw new CodedError('conflict', next);
    await this.deps.repo.save(next);
    this.poke(0);
    return next;
  }

  async stationRates(scope: TenantScope, since: Date) {
    const [stuck, sessions] = await Promise.all([this.deps.repo.stuckPerStation(scope, since), this.deps.repo.sessionsPerStation(scope, since)]);
    return stationRates(stuck, sessions);
  }

}
