/**
 * Billing shell: prices transactions with the one cost engine and keeps their books.
 * - A transaction is pinned, at its first pricing, to the tariff version (and assignment) in force
 *   at its start for its station, EVSE, connector and token group, read in its site's time zone.
 * - Its live cost (open) and its final cost (closed) are the same `priceSession` call; the REST view
 *   of a transaction shows it.
 * - When it is closed, its CDR is written; when it changes after that (a real stop replacing the
 *   CSMS's estimate), a credit and a new CDR are added (billing-cdr.ts). Closing the books is
 *   idempotent and numbered per transaction, so a retried or doubled call writes nothing twice.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import { KeyedQueue } from '../../kernel/keyed-queue.ts';
import type { EventBus } from '../../cluster/event-bus.ts';
import { priceSession, type PricedSession, type TariffService } from '../tariffs/index.ts';
import { energyWh, type MeterSample, type Transaction } from '../transactions/index.ts';
import { draftFrom, recordsToAdd, currentDebit, type Cdr, type CdrDraft } from './billing-cdr.ts';
import { usageOf } from './billing-usage.ts';
import type { BillingRepository, BillingSettings, CdrFilter, PricingPin } from './billing-repository.ts';
import './billing-events.ts';

export interface BillingTransactions {
  transaction(id: string): Promise<Transaction | null>;
  samples(id: string): Promise<MeterSample[]>;
  signedMeterData(id: string): Promise<unknown[]>;
}

export interface BillingDeps {
  repo: BillingRepository;
  tariffs: Pick<TariffService, 'resolve' | 'versionOf'>;
  transactions: BillingTransactions;
  stations: { owner(stationId: string): Promise<{ tenantId: string; siteId: string | null } | null> };
  tokens: { groupOf(idToken: string, tenantId: string): string | null };
  events: EventBus;
  clock: Clock;
  log: Logger;
  /** The time zone of a site and tenant that set none. */
  defaultTimeZone: string;
}

/** A session's price as the REST view shows it (decimal text). */
export interface SessionCost {
  currency: string;
  totalExclTax: string;
  totalInclTax: string;
}




export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export class BillingService {
  private readonly books = new KeyedQueue();
  private readonly log: Logger;

  constructor(private readonly deps: BillingDeps) {
    this.log = deps.log.child({ component: 'billing' });
  }

  /** The pin of a transaction: made once, from the assignment and version in force at its start. */
  async pinOf(tx: Transaction): Promise<PricingPin> {
    const stored = await this.deps.repo.pin(tx.id);
    if (stored) return stored;
    const station = await this.deps.stations.owner(tx.stationId);
    const siteId = station && station.tenantId === tx.tenantId ? station.siteId : null;
    const tokenGroup = tx.idToken ? this.deps.tokens.groupOf(tx.idToken, tx.tenantId) : null;
    const startedAt = startOf(tx);
    const resolved = await this.deps.tariffs.resolve({ tenantId: tx.tenantId, siteId, stationId: tx.stationId, evseId: tx.evseId, connectorId: tx.connectorId, tokenGroup }, startedAt);
    return this.deps.repo.savePin({
      transactionId: tx.id,
      tenantId: tx.tenantId,
      tariffId: resolved?.tariff.id ?? null,
      tariffVersion: resolved?.tariff.version ?? null,
      assignmentId: resolved?.assignment.id ?? null,
      tokenGroup,
      timeZone: await this.timeZoneOf(tx.tenantId, siteId),
      pinnedAt: this.deps.clock(),
    });
  }

  /** Prices a transaction now: the live cost of an open one, the final cost of a closed one. Null without a tariff. */
  async price(tx: Transaction): Promise<{ pin: PricingPin; priced: PricedSession | null }> {
    const pin = await this.pinOf(tx);
    if (pin.tariffId === null || pin.tariffVersion === null) return { pin, priced: null };
    const tariff = await this.deps.tariffs.versionOf(pin.tariffId, pin.tariffVersion);
    if (!tariff) return { pin, priced: null };
    const samples = await this.deps.transactions.samples(tx.id);
    const closed = tx.state === 'completed';
    const usage = usageOf({
      timeZone: pin.timeZone,
      startedAt: startOf(tx),
      endsAt: closed ? (tx.stoppedAt ?? tx.lastMeterAt ?? tx.updatedAt) : this.deps.clock(),
      startWh: tx.meterStartWh,
      stopWh: closed && tx.meterStopWh !== null && energyWh(tx) !== null ? tx.meterStopWh : null,
      samples,
    });
    return { pin, priced: priceSession(tariff.tariff, usage) };
  }

  /** The costs shown in transactions' REST views: a closed one's CDR, an open one's live price. */
  async costs(transactions: readonly Transaction[]): Promise<Map<string, SessionCost | null>> {
    const out = new Map<string, SessionCost | null>();
    for (const tx of transactions) {
      const debit = tx.state === 'completed' ? currentDebit(await this.deps.repo.cdrsOf(tx.id)) : null;
      if (debit) {
        out.set(tx.id, debit.currency && debit.totalExclTax && debit.totalInclTax ? { currency: debit.currency, totalExclTax: debit.totalExclTax, totalInclTax: debit.totalInclTax } : null);
        continue;
      }
      const { priced } = await this.price(tx);
      out.set(tx.id, priced ? { currency: priced.currency, totalExclTax: priced.totalExclTax, totalInclTax: priced.totalInclTax } : null);
    }
    return out;
  }

  /** The final price of a closed transaction: what its CDR says, or will say once written. */
  async finalCost(tx: Transaction): Promise<SessionCost | null> {
    return (await this.costs([tx])).get(tx.id) ?? null;
  }

  /**
   * Brings a closed transaction's records up to date: its first CDR, or a credit and a new CDR when
   * what it bills changed. One at a time per transaction on this node; across nodes the numbering
   * lets one writer win and the other decide again from what was written.
   */
  closeBooks(transactionId: string): Promise<Cdr[]> {
    return this.books.run(transactionId, async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const tx = await this.deps.transactions.transaction(transactionId);
        if (!tx || tx.state !== 'completed') return [];
        const draft = await this.draft(tx);
        const now = this.deps.clock();
        const records = recordsToAdd(await this.deps.repo.cdrsOf(tx.id), draft, { next: randomUUID }, now);
        if (!(await this.deps.repo.addCdrs(records))) continue;
        await this.deps.repo.markBilled(tx.id, tx.version);
        for (const cdr of records) {
          this.deps.events.publish({ type: 'cdr.created', stationId: cdr.stationId, at: now.toISOString(), cdrId: cdr.id, transactionId: cdr.transactionId, kind: cdr.kind, currency: cdr.currency, totalInclTaxMinor: cdr.totalInclTaxMinor });
        }
        if (records.some((r) => r.kind === 'credit')) this.log.info({ stationId: tx.stationId, transactionId: tx.id, records: records.map((r) => r.id) }, 'CDR corrected by a credit and a new record');
        return records;
      }
      throw new CodedError('conflict', `the books of transaction ${transactionId} keep changing; try again`);
    });
  }

  /**
   * Closes the books of every transaction that needs it (stopped since `since`, or all): the net
   * under lost events. A few at a time: each is mostly waiting on the database.
   */
  async sweep(since: Date | null, batch = 200, parallel = 4): Promise<number> {
    let closed = 0;
    // A transaction whose books fail stays unbilled and comes back in the next page: it is not tried
    // twice in one sweep, and a short page ends the sweep (the next one retries what is left).
    const seen = new Set<string>();
    for (;;) {
      const ids = (await this.deps.repo.unbilled(batch, since)).filter((id) => !seen.has(id));
      for (const id of ids) seen.add(id);
      for (let i = 0; i < ids.length; i += parallel) {
        await Promise.all(
          ids.slice(i, i + parallel).map((id) =>
            this.closeBooks(id).catch((error: unknown) => this.log.error({ err: error, transactionId: id }, 'closing the books of a transaction failed; the next sweep retries')),
          ),
        );
      }
      closed += ids.length;
      if (ids.length < batch) return closed;
    }
  }

  /** The debit in force of a transaction (what it owes), or null before its books are closed. */
  async debitOf(transactionId: string): Promise<Cdr | null> {
    return currentDebit(await this.deps.repo.cdrsOf(transactionId));
  }

  listCdrs(filter: CdrFilter) {
    return this.deps.repo.listCdrs(filter);
  }

  async cdr(id: string): Promise<Cdr> {
    const found = await this.deps.repo.findCdr(id);
    if (!found) throw new CodedError('not-found', `CDR ${id} does not exist`);
    return found;
  }

  async cdrOwner(id: string): Promise<{ tenantId: string; stationId: string } | null> {
    const found = await this.deps.repo.findCdr(id);
    return found ? { tenantId: found.tenantId, stationId: found.stationId } : null;
  }

  async settings(tenantId: string, siteId: string | null): Promise<BillingSettings & { effectiveTimeZone: string }> {
    const own = await this.deps.repo.settings(tenantId, siteId);
    return { tenantId, siteId, timeZone: own?.timeZone ?? null, updatedAt: own?.updatedAt ?? new Date(0), effectiveTimeZone: await this.timeZoneOf(tenantId, siteId) };
  }

  async saveSettings(tenantId: string, siteId: string | null, input: { timeZone: string | null }): Promise<BillingSettings & { effectiveTimeZone: string }> {
    if (input.timeZone !== null && !isTimeZone(input.timeZone)) throw new CodedError('invalid-input', `/timeZone: ${input.timeZone} is not an IANA time zone`, { path: '/timeZone' });
    await this.deps.repo.saveSettings({ tenantId, siteId, timeZone: input.timeZone, updatedAt: this.deps.clock() });
    return this.settings(tenantId, siteId);
  }

  private async timeZoneOf(tenantId: string, siteId: string | null): Promise<string> {
    const site = siteId ? await this.deps.repo.settings(tenantId, siteId) : null;
    return site?.timeZone ?? (await this.deps.repo.settings(tenantId, null))?.timeZone ?? this.deps.defaultTimeZone;
  }

  private async draft(tx: Transaction): Promise<CdrDraft> {
    const { pin, priced } = await this.price(tx);
    const pricing = priced && pin.tariffId !== null && pin.tariffVersion !== null ? { tariffId: pin.tariffId, tariffVersion: pin.tariffVersion, priced } : null;
    return draftFrom(
      {
        tenantId: tx.tenantId,
        transactionId: tx.id,
        transactionVersion: tx.version,
        stationId: tx.stationId,
        evseId: tx.evseId,
        connectorId: tx.connectorId,
        idToken: tx.idToken,
        startedAt: startOf(tx),
        stoppedAt: tx.stoppedAt ?? tx.lastMeterAt ?? tx.updatedAt,
        energyWh: String(energyWh(tx) ?? 0),
        meter: { startWh: tx.meterStartWh, stopWh: tx.meterStopWh, highestWh: tx.highestMeterWh, signed: await this.deps.transactions.signedMeterData(tx.id) },
        estimated: tx.flags.includes('estimated'),
      },
      pricing,
    );
  }
}

/** When a session started, for pricing: its start, else its first reading, else when the CSMS first saw it. */
function startOf(tx: Transaction): Date {
  return tx.startedAt ?? tx.meterStartAt ?? tx.createdAt;
}
