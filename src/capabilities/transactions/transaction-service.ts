/**
 * Transactions shell: every message about a transaction is deduplicated by
 * its idempotency key, merged into the version-neutral record by the core,
 * and written atomically with its meter samples before the station gets its
 * answer, so nothing acknowledged is ever lost. Work is serialised per station.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/time.ts';
import type { AuthorizationDecision } from '../authorization/index.ts';
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import type { EventBus } from '../../cluster/event-bus.ts';
import { StationLock } from '../../cluster/station-lock.ts';
import { CodedError } from '../../kernel/errors.ts';
import { energyWh, estimateClose, forceClosed, mergeObservation, type CloseEstimate, type MeterSample, type Transaction, type TransactionObservation } from './transaction.ts';
import { OpenTransactionCache } from './transaction-open-cache.ts';
import { IssuedIdBlock } from './transaction-id-block-service.ts';
import type { TransactionEventRecord, TransactionFilter, TransactionRepository } from './transaction-repository.ts';

/** What transactions need to know about id tokens (the authorization capability provides it). */
export interface TokenAuthority {
  /** The token's status at this station: only the station's tenant's tokens count there. */
  statusOf(idToken: string, at: Date, where: { stationId: string; tenantId: string; type?: string | null }): AuthorizationDecision;
}

export interface ObservedMessage {
  stationId: string;
  /** The station's tenant: its id tokens are the only ones it knows. */
  tenantId: string;
  version: OcppVersion;
  /** Same message received twice -> same key (OCPP retries and offline replays duplicate messages). */
  dedupeKey: string;
  receivedAt: Date;
  observation: TransactionObservation;
  /** A short, JSON-able description for the timeline. */
  summary: Record<string, unknown>;
}

export interface ObservedResult {
  transaction: Transaction;
  duplicate: boolean;
  /** Status of the message's id token, when it carried one. */
  tokenStatus?: AuthorizationDecision;
}

/** A message re-merged this often without getting written is answered with an error (the station retries it). */
const MAX_STALE_ATTEMPTS = 5;

/** A session's price as its REST view shows it (decimal text). */
export interface TransactionCost {
  currency: string;
  totalExclTax: string;
  totalInclTax: string;
}

/**
 * Who prices transactions for their REST view: the billing capability, built after this one,
 * plugs in here (null per transaction: no tariff applies).
 */
export interface TransactionCostSource {
  costs(transactions: readonly Transaction[]): Promise<Map<string, TransactionCost | null>>;
  /** The final price of a closed transaction (what its CDR will say), null when no tariff applies. */
  finalCost(transaction: Transaction): Promise<TransactionCost | null>;
}

/**
 * Who sets limits a station enforces on a session (OCPP 2.1 TransactionLimitType): payments, built
 * after this capability, caps a paid session at what its card hold covers.
 */
export interface TransactionLimitSource {
  limitFor(transaction: Transaction): Promise<TransactionLimit | null>;
}

/** A limit in neutral words: the highest cost, in the tariff's currency. */
export interface TransactionLimit {
  maxCost: number;
}

export class TransactionService {
  private readonly lock = new StationLock();
  private costSource: TransactionCostSource | null = null;
  private limitSource: TransactionLimitSource | null = null;
  private readonly open = new OpenTransactionCache();
  private readonly issuedIds: IssuedIdBlock;

  constructor(
    private readonly repo: TransactionRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly tokens: TokenAuthority,
    private readonly log: Logger,
  ) {
    this.issuedIds = new IssuedIdBlock((count) => repo.nextIssuedTransactionIds(count));
    events.subscribe((event) => {
      if (event.type === 'station.connected') this.open.forgetStation(event.stationId);
    });
    // Another node closed one of the station's transactions (a stuck session closed by the node
    // running the sweep): what this node remembers of the station may be stale. Only session
    // ends are heard, never the per-message transaction.updated: no node receives another
    // node's meter values. (A close that corrects an already completed transaction touches
    // nothing this cache holds: it keeps open transactions only.)
    events.subscribe(
      (event, origin) => {
        if (!origin.local && 'stationId' in event) this.open.forgetStation(event.stationId);
      },
      { scope: 'cluster', types: ['transaction.ended'] },
    );
  }

  /**
   * A start whose transaction id the CSMS issues (a version where the station
   * does not name its transactions). The same start received again (its answer
   * was lost) gets the id it got the first time.
   */
  startWithIssuedId(message: Omit<ObservedMessage, 'observation'> & { observation: Omit<TransactionObservation, 'ocppTransactionId'> }): Promise<ObservedResult> {
    return this.lock.run(message.stationId, async () => {
      const token = message.observation.idToken;
      const tokenStatus = token ? this.tokens.statusOf(token.value, message.receivedAt, { stationId: message.stationId, tenantId: message.tenantId, type: token.type }) : undefined;
      // Optimistic: a start is almost always new, so it is written under a fresh id at once
      // (no read first). The write refuses a key it has seen; then the first answer's
      // transaction is looked up and returned, with its id.
      const ocppTransactionId = String(await this.issuedIds.allocate());
      const result = await this.apply({ ...message, observation: { ...message.observation, ocppTransactionId } }, tokenStatus, { isNew: true });
      if (!result.duplicate) return result;
      const seen = await this.repo.findByEventKey(message.stationId, message.dedupeKey);
      return { transaction: seen ?? result.transaction, duplicate: true, tokenStatus };
    });
  }

  /** Any other message about a transaction, for any version. */
  observe(message: ObservedMessage): Promise<ObservedResult> {
    return this.lock.run(message.stationId, () => {
      const token = message.observation.idToken;
      return this.apply(message, token ? this.tokens.statusOf(token.value, message.receivedAt, { stationId: message.stationId, tenantId: message.tenantId, type: token.type }) : undefined);
    });
  }

  /** The open transaction on an EVSE (1.6 MeterValues may omit the transaction id). */
  activeOn(stationId: string, evseId: number): Promise<Transaction | null> {
    // Meter values without a transaction id arrive all through a session: the open
    // transaction this node wrote answers them without a read.
    const cached = this.open.activeOn(stationId, evseId);
    return cached ? Promise.resolve(cached) : this.repo.findActiveOn(stationId, evseId);
  }

  /**
   * Load -> merge -> guarded write. A stale write (another node wrote the transaction since it
   * was read: the stuck sweep's close on the lease holder) is decided again from a fresh read,
   * so the station's message is merged into whatever is stored, never written over it.
   * `isNew`: the transaction id was just allocated, so nothing is stored under it yet.
   */
  private async apply(message: ObservedMessage, tokenStatus: AuthorizationDecision | undefined, options: { isNew?: boolean } = {}): Promise<ObservedResult> {
    for (let attempt = 1; ; attempt++) {
      const fromCache = !options.isNew && attempt === 1;
      const outcome = await this.applyOnce(message, tokenStatus, { isNew: options.isNew === true && attempt === 1, fromCache });
      if (outcome !== 'stale') return outcome;
      this.open.forgetStation(message.stationId);
      this.log.info({ stationId: message.stationId, dedupeKey: message.dedupeKey, attempt }, 'transaction changed on another node meanwhile; merging again');
      if (attempt >= MAX_STALE_ATTEMPTS) throw new CodedError('conflict', `transaction ${message.observation.ocppTransactionId} of ${message.stationId} keeps changing; not written`);
    }
  }

  private async applyOnce(message: ObservedMessage, tokenStatus: AuthorizationDecision | undefined, options: { isNew: boolean; fromCache: boolean }): Promise<ObservedResult | 'stale'> {
    const { observation: obs } = message;
    const cached = options.fromCache ? this.open.get(message.stationId, obs.ocppTransactionId) : undefined;
    const current = options.isNew ? null : (cached ?? (await this.repo.findByOcppId(message.stationId, obs.ocppTransactionId)));
    const merged = mergeObservation(current, obs, {
      newId: this.newId(),
      now: this.clock(),
      stationId: message.stationId,
      tenantId: message.tenantId,
      ocppVersion: message.version,
      tokenStatus,
    });
    const event: TransactionEventRecord = {
      dedupeKey: message.dedupeKey,
      kind: obs.kind,
      seqNo: obs.seqNo ?? null,
      triggerReason: obs.triggerReason ?? null,
      occurredAt: obs.at,
      receivedAt: message.receivedAt,
      offline: obs.offline,
      summary: message.summary,
    };
    const outcome = await this.repo.recordEvent(merged, event, obs.samples);
    if (outcome === 'stale') return 'stale';
    if (outcome === 'duplicate') {
      // The stored transaction may be newer than what this node remembers.
      this.open.forgetStation(message.stationId);
      this.log.info({ stationId: message.stationId, dedupeKey: message.dedupeKey }, 'duplicate transaction message ignored');
      return { transaction: current ?? merged, duplicate: true, tokenStatus };
    }
    this.open.written(merged);
    this.publish(current, merged);
    return { transaction: merged, duplicate: false, tokenStatus };
  }

  private publish(before: Transaction | null, after: Transaction): void {
    const type = after.state === 'completed' && before?.state !== 'completed' ? 'transaction.ended' : before === null ? 'transaction.started' : 'transaction.updated';
    this.events.publish({
      type,
      stationId: after.stationId,
      at: this.clock().toISOString(),
      transactionId: after.id,
      evseId: after.evseId,
      energyWh: energyWh(after),
      state: after.state,
      idToken: after.idToken,
      reservationId: after.reservationId,
    });
  }

  // --- REST ------------------------------------------------------------------------

  useCostSource(source: TransactionCostSource): void {
    this.costSource = source;
  }

  /** The price of each transaction, for its REST view (empty when nothing prices transactions). */
  async costs(transactions: readonly Transaction[]): Promise<Map<string, TransactionCost | null>> {
    return this.costSource ? this.costSource.costs(transactions) : new Map();
  }

  /**
   * The final price of a transaction that just closed, for the station's answer; null when nothing
   * prices it, or when pricing fails (the answer must not wait on billing, nor fail because of it).
   */
  async finalCost(transaction: Transaction): Promise<TransactionCost | null> {
    if (!this.costSource || transaction.state !== 'completed') return null;
    try {
      return await this.costSource.finalCost(transaction);
    } catch (error) {
      this.log.warn({ err: error, stationId: transaction.stationId, transactionId: transaction.id }, 'final cost not priced for the station\'s answer');
      return null;
    }
  }

  /** The signed meter data the station sent for a transaction, verbatim, in the order received (the adapters keep it in each message's summary). */
  async signedMeterData(id: string): Promise<unknown[]> {
    return (await this.repo.events(id)).flatMap((event) => (Array.isArray(event.summary.signed) ? event.summary.signed : []));
  }

  useLimitSource(source: TransactionLimitSource): void {
    this.limitSource = source;
  }

  /** The limit a station should enforce on an open transaction, for its answer; null on none or on a failure (never fails the answer). */
  async limitFor(transaction: Transaction): Promise<TransactionLimit | null> {
    if (!this.limitSource || transaction.state !== 'active') return null;
    try {
      return await this.limitSource.limitFor(transaction);
    } catch (error) {
      this.log.warn({ err: error, stationId: transaction.stationId, transactionId: transaction.id }, 'transaction limit not read for the station\'s answer');
      return null;
    }
  }

  /** One transaction, or null. */
  transaction(id: string): Promise<Transaction | null> {
    return this.repo.find(id);
  }

  list(filter: TransactionFilter) {
    return this.repo.list(filter);
  }

  /** Who owns a transaction: the tenant it started in, at its station. */
  async owner(id: string): Promise<{ tenantId: string; stationId: string } | null> {
    const transaction = await this.repo.find(id);
    return transaction ? { tenantId: transaction.tenantId, stationId: transaction.stationId } : null;
  }

  async get(id: string): Promise<{ transaction: Transaction; timeline: TransactionEventRecord[] }> {
    const transaction = await this.repo.find(id);
    if (!transaction) throw new CodedError('not-found', `transaction ${id} does not exist`);
    return { transaction, timeline: await this.repo.events(id) };
  }

  async meterValues(id: string, options: { measurand?: string; limit: number }): Promise<MeterSample[]> {
    if (!(await this.repo.find(id))) throw new CodedError('not-found', `transaction ${id} does not exist`);
    return this.repo.meterValues(id, options);
  }

  /** For commands: the station and its own id of a transaction named by our id or by the OCPP id. */
  async resolve(transactionId: string): Promise<{ stationId: string; ocppTransactionId: string } | null> {
    const tx = await this.repo.find(transactionId);
    return tx ? { stationId: tx.stationId, ocppTransactionId: tx.ocppTransactionId } : null;
  }

  // --- Closing the books of stuck sessions (driven by the stuck capability) --------------

  /** Open transactions, each with the next start on its EVSE. */
  unsettled(limit: number) {
    return this.repo.listUnsettled(limit);
  }

  /**
   * Closes a transaction the station will not close: energy from the best
   * evidence (estimateClose), flags `stuck` + `estimated`, stop reason
   * `reason`, and the same transaction.ended event as a real stop. Null when
   * there is nothing to close: a transaction the station closed (even with
   * an implausible reading, which stays the station's) is never touched.
   */
  forceClose(id: string, input: { reason: string; endedAt: Date | null; key: string; detail?: Record<string, unknown> }): Promise<{ transaction: Transaction; estimate: CloseEstimate } | null> {
    return this.repo.find(id).then((found) => {
      if (!found) throw new CodedError('not-found', `transaction ${id} does not exist`);
      return this.lock.run(found.stationId, async () => {
        // A stale write (the station's stop landed meanwhile on another node) is decided again from a fresh read.
        for (let attempt = 1; attempt <= MAX_STALE_ATTEMPTS; attempt++) {
          const result = await this.forceCloseOnce(id, input);
          if (result !== 'stale') return result;
          this.log.info({ stationId: found.stationId, transactionId: id, attempt }, 'transaction changed meanwhile; deciding the close again');
        }
        return null;
      });
    });
  }

  /** One decision from a fresh read: null when there is nothing (left) to close. */
  private async forceCloseOnce(
    id: string,
    input: { reason: string; endedAt: Date | null; key: string; detail?: Record<string, unknown> },
  ): Promise<{ transaction: Transaction; estimate: CloseEstimate } | null | 'stale'> {
    const tx = await this.repo.find(id);
    if (!tx || tx.state === 'completed') return null;
    const evidence = await this.repo.closeEvidence(tx);
    const estimate = estimateClose(tx, { ...evidence, endedAt: input.endedAt });
    const now = this.clock();
    const closed = forceClosed(tx, estimate, input.reason, now);
    if (!closed) return null;
    const outcome = await this.repo.recordClose(closed, {
      dedupeKey: input.key,
      kind: 'force-closed',
      seqNo: null,
      triggerReason: input.reason,
      occurredAt: now,
      receivedAt: now,
      offline: false,
      summary: { message: 'ForceClose', reason: input.reason, meterStopWh: estimate.meterStopWh, source: estimate.source, ...input.detail },
    });
    if (outcome !== 'written') return outcome === 'stale' ? 'stale' : null;
    this.open.written(closed);
    this.events.publish({
      type: 'transaction.ended',
      stationId: closed.stationId,
      at: now.toISOString(),
      transactionId: closed.id,
      evseId: closed.evseId,
      energyWh: energyWh(closed),
      state: 'completed',
      estimated: true,
    });
    this.log.warn({ stationId: closed.stationId, transactionId: closed.id, reason: input.reason, source: estimate.source }, 'transaction closed by the CSMS');
    return { transaction: closed, estimate };
  }
}
