/**
 * Charge detail records (core). A CDR is written when a transaction ends and never changed: the
 * priced periods, the totals excluding and including tax (decimal text and integer minor units),
 * the tariff version, the meter readings it was priced from, and whether the stop was the CSMS's
 * estimate (a stuck session it closed). When the facts change afterwards - the station's real stop
 * arrives after the estimate, a late meter value - the record is corrected by a credit (the earlier
 * debit negated) and a new debit, numbered after it; what was billed before stays on file.
 */
import type { CostPeriod, PricedSession } from '../tariffs/index.ts';

export type CdrKind = 'debit' | 'credit';

export interface CdrMeter {
  startWh: number | null;
  stopWh: number | null;
  highestWh: number | null;
  /** Signed meter data as the station sent it (1.6 SignedData, 2.x signedMeterValue), verbatim, with each value's timestamp. */
  signed: unknown[];
}

export interface Cdr {
  id: string;
  tenantId: string;
  transactionId: string;
  /** 1, 2, 3...: a debit, then for each correction a credit and a new debit. */
  sequence: number;
  kind: CdrKind;
  /** A credit: the debit it cancels. */
  corrects: string | null;
  /** The transaction's version the record was priced from. */
  transactionVersion: number;
  stationId: string;
  evseId: number | null;
  connectorId: number | null;
  idToken: string | null;
  startedAt: Date;
  stoppedAt: Date;
  /** Delivered energy, Wh, decimal text (negative on a credit). */
  energyWh: string;
  /** Null when the session had no tariff: delivered, not billed (reconciliation lists it). */
  currency: string | null;
  tariffId: string | null;
  tariffVersion: number | null;
  totalExclTax: string | null;
  totalInclTax: string | null;
  totalExclTaxMinor: number | null;
  totalInclTaxMinor: number | null;
  periods: CostPeriod[];
  meter: CdrMeter;
  estimated: boolean;
  createdAt: Date;
}

/** What a debit says, before it gets an id and a number. */
export type CdrDraft = Omit<Cdr, 'id' | 'sequence' | 'kind' | 'corrects' | 'createdAt'>;

export interface Pricing {
  tariffId: string;
  tariffVersion: number;
  priced: PricedSession;
}

/** The debit a closed transaction deserves, from its facts and (when it has a tariff) its price. */
export function draftFrom(facts: Omit<CdrDraft, 'currency' | 'tariffId' | 'tariffVersion' | 'totalExclTax' | 'totalInclTax' | 'totalExclTaxMinor' | 'totalInclTaxMinor' | 'periods'>, pricing: Pricing | null): CdrDraft {
  if (!pricing) return { ...facts, currency: null, tariffId: null, tariffVersion: null, totalExclTax: null, totalInclTax: null, totalExclTaxMinor: null, totalInclTaxMinor: null, periods: [] };
  const { priced } = pricing;
  return {
    ...facts,
    currency: priced.currency,
    tariffId: pricing.tariffId,
    tariffVersion: pricing.tariffVersion,
    totalExclTax: priced.totalExclTax,
    totalInclTax: priced.totalInclTax,
    totalExclTaxMinor: priced.totalExclTaxMinor,
    totalInclTaxMinor: priced.totalInclTaxMinor,
    periods: priced.periods,
  };
}

/** The debit in force: the latest debit no credit cancels. */
export function currentDebit(cdrs: readonly Cdr[]): Cdr | null {
  const cancelled = new Set(cdrs.filter((c) => c.kind === 'credit').map((c) => c.corrects));
  const debits = cdrs.filter((c) => c.kind === 'debit' && !cancelled.has(c.id));
  return debits.sort((a, b) => b.sequence - a.sequence)[0] ?? null;
}

/** Whether a draft bills what the debit billed: same energy, end, price, tariff and estimate flag. */
function sameBill(debit: Cdr, draft: CdrDraft): boolean {
  return (
    debit.energyWh === draft.energyWh &&
    debit.stoppedAt.getTime() === draft.stoppedAt.getTime() &&
    debit.currency === draft.currency &&
    debit.totalExclTaxMinor === draft.totalExclTaxMinor &&
    debit.totalInclTaxMinor === draft.totalInclTaxMinor &&
    debit.tariffId === draft.tariffId &&
    debit.tariffVersion === draft.tariffVersion &&
    debit.estimated === draft.estimated
  );
}

const negate = (text: string | null) => (text === null || /^-?0(\.0*)?$/.test(text) ? text : text.startsWith('-') ? text.slice(1) : `-${text}`);
const negateMinor = (value: number | null) => (value === null || value === 0 ? value : -value);

/**
 * The records to add so that the books say what the draft says: the first debit; nothing when the
 * debit in force already bills the same; otherwise a credit cancelling it and a new debit.
 */
export function recordsToAdd(existing: readonly Cdr[], draft: CdrDraft, ids: { next(): string }, now: Date): Cdr[] {
  const last = existing.reduce((n, c) => Math.max(n, c.sequence), 0);
  const debit = currentDebit(existing);
  if (debit && sameBill(debit, draft)) return [];
  const out: Cdr[] = [];
  if (debit) {
    out.push({
      ...debit,
      id: ids.next(),
      sequence: last + 1,
      kind: 'credit',
      corrects: debit.id,
      transactionVersion: draft.transactionVersion,
      energyWh: negate(debit.energyWh) as string,
      totalExclTax: negate(debit.totalExclTax),
      totalInclTax: negate(debit.totalInclTax),
      totalExclTaxMinor: negateMinor(debit.totalExclTaxMinor),
      totalInclTaxMinor: negateMinor(debit.totalInclTaxMinor),
      createdAt: now,
    });
  }
  out.push({ ...draft, id: ids.next(), sequence: last + out.length + 1, kind: 'debit', corrects: null, createdAt: now });
  return out;
}
