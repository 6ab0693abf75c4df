/**
 * Three-way reconciliation (core): metering -> CDR -> capture -> the gateway's settlement. The
 * joins run in SQL (reconciliation-repository-sql.ts); this file holds the vocabulary, the period
 * rules, how an item reads (its amount as decimal text, its detail sentence) and the totals.
 *
 * Each discrepancy is one item with the money at stake (`amountMinor`, never negative), in the
 * currency it is at stake in; `amountKnown: false` when the amount cannot be known (a session no
 * tariff priced, or one not priced yet).
 */
import { CodedError } from '../../kernel/errors.ts';
import { currencyExponent, formatMoney, fromMinorUnits } from '../../kernel/decimal.ts';
import { scopedSites, type TenantScope } from '../../kernel/tenant-scope.ts';

export const DISCREPANCY_KINDS = [
  'delivered-not-billed',
  'billed-not-delivered',
  'hold-never-released',
  'capture-mismatch',
  'uncollected',
  'duplicate-capture',
  'gateway-mismatch',
] as const;

export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** Hold states in which nothing more will happen to the money (the payments capability's final states). */
export const FINAL_HOLD_STATES = ['declined', 'captured', 'released', 'expired'] as const;

export interface Discrepancy {
  kind: DiscrepancyKind;
  /** Null only for a gateway record no hold of ours names (no tenant owns it). */
  tenantId: string | null;
  transactionId: string | null;
  holdId: string | null;
  cdrId: string | null;
  stationId: string | null;
  /** When the session stopped (the period is chosen by it), when known. */
  stoppedAt: Date | null;
  currency: string | null;
  /** The money at stake, minor units of `currency` (0 when unknown). */
  amountMinor: number;
  amountKnown: boolean;
  /** What the item was decided from (the detail sentence is written from these). */
  facts: Record<string, unknown>;
}

/** [from, to): transactions whose stop falls in it. */
export interface Period {
  from: Date;
  to: Date;
}

const DAY_MS = 24 * 3600_000;
/** Longest period one request may cover (a year and a day): the scan is bounded by the period. */
const MAX_PERIOD_MS = 367 * DAY_MS;

/** Midnight UTC of the day `at` falls in. */
export function utcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** The UTC day before the one `now` falls in. */
export function previousDay(now: Date): Period {
  const to = utcDay(now);
  return { from: new Date(to.getTime() - DAY_MS), to };
}

/** The period a request asks for: both ends, or the previous UTC day when it names none. */
export function requestedPeriod(from: Date | undefined, to: Date | undefined, now: Date): Period {
  if (from === undefined && to === undefined) return previousDay(now);
  if (from === undefined || to === undefined) throw new CodedError('invalid-input', 'give both from and to (or neither: the previous UTC day)');
  if (!(from.getTime() < to.getTime())) throw new CodedError('invalid-input', 'from must be before to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_MS) throw new CodedError('invalid-input', 'a period covers at most 367 days');
  return { from, to };
}

/**
 * The day the daily run owes: yesterday once today's run hour has passed, else the day before
 * (whose run was due yesterday, so a node that was down at the hour still makes it).
 */
export function duePeriod(now: Date, atHour: number): Period {
  const today = utcDay(now);
  const due = now.getTime() >= today.getTime() + atHour * 3600_000 ? today : new Date(today.getTime() - DAY_MS);
  return { from: new Date(due.getTime() - DAY_MS), to: due };
}

/** The sites of a scope as a run stores them: sorted, so one caller's runs compare equal; null: every site. */
export function sitesKey(scope: TenantScope): string[] | null {
  const sites = scopedSites(scope);
  return sites ? [...sites].sort() : null;
}

/** Minor units as decimal text in the currency (an unknown currency: the minor units as they are). */
export function amountText(minor: number, currency: string | null): string {
  if (currency === null || currencyExponent(currency) === undefined) return String(minor);
  return formatMoney(fromMinorUnits(minor, currency), currency);
}

const text = (value: unknown) => (value === null || value === undefined ? '-' : String(value));
const money = (minor: unknown, currency: string | null) => (typeof minor === 'number' ? `${amountText(minor, currency)} ${currency ?? ''}`.trim() : '-');

/** One sentence an operator can act on, from the item's facts. */
export function detailOf(d: Discrepancy): string {
  const f = d.facts;
  switch (d.kind) {
    case 'delivered-not-billed':
      return f.reason === 'no-cdr'
        ? `${text(f.energyWh)} Wh delivered and no CDR in force: not priced yet (the books sweep writes it); amount unknown`
        : `${text(f.energyWh)} Wh delivered, the CDR in force has no price (no tariff applied): amount unknown`;
    case 'billed-not-delivered':
      if (f.reason === 'no-transaction') return `the CDR in force bills ${money(d.amountMinor, d.currency)} for a transaction that does not exist`;
      if (f.reason === 'transaction-open') return `the CDR in force bills ${money(d.amountMinor, d.currency)} for a transaction that is not completed`;
      return `the CDR in force bills ${money(d.amountMinor, d.currency)} for ${text(f.energyWh)} Wh metered, and no time, parking or flat component explains it`;
    case 'hold-never-released':
      return f.endedAt
        ? `the hold is still ${text(f.state)} (${money(d.amountMinor, d.currency)} held) though its session ended at ${text(f.endedAt)}`
        : `the hold is still ${text(f.state)} (${money(d.amountMinor, d.currency)} held) and no session used it since ${text(f.createdAt)}`;
    case 'capture-mismatch': {
      if (f.cdrCurrency !== null && f.cdrCurrency !== undefined && f.cdrCurrency !== d.currency) {
        return `captured ${money(f.captureMinor, d.currency)} but the CDR in force is in ${text(f.cdrCurrency)}`;
      }
      const owed = f.hasCdr === false ? 'no CDR in force' : f.owedMinor === null ? 'the CDR in force has no price' : `the CDR in force is ${money(f.owedMinor, d.currency)}`;
      return `captured ${money(f.captureMinor, d.currency)} + not collected ${money(f.shortfallMinor, d.currency)}, ${owed}: ${money(d.amountMinor, d.currency)} apart`;
    }
    case 'uncollected':
      return `${money(d.amountMinor, d.currency)} owed beyond what the hold could collect (hold ${text(f.state)})`;
    case 'duplicate-capture':
      return f.source === 'gateway'
        ? `the gateway holds ${text(f.captures)} captured authorizations for this session (${text((f.refs as unknown[] | undefined)?.join(', '))}): ${money(d.amountMinor, d.currency)} captured more than once`
        : `${text(f.captures)} captured holds for this session: ${money(d.amountMinor, d.currency)} captured more than once`;
    case 'gateway-mismatch':
      return gatewayDetail(d);
  }
}

function gatewayDetail(d: Discrepancy): string {
  const f = d.facts;
  const ref = text(f.gatewayRef);
  switch (f.reason) {
    case 'unknown-authorization':
      return `the gateway captured ${money(d.amountMinor, d.currency)} on ${ref}, which no hold of ours names`;
    case 'second-authorization':
      return `the gateway captured ${money(d.amountMinor, d.currency)} on ${ref}, a second authorization for a hold whose own is ${text(f.holdRef)}`;
    case 'amount-differs':
      return `we captured ${money(f.ourCaptureMinor, d.currency)}, the gateway says ${money(f.gatewayCapturedMinor, d.currency)} on ${ref}`;
    case 'gateway-canceled':
      return `we captured ${money(f.ourCaptureMinor, d.currency)}, the gateway says ${ref} was canceled`;
    case 'gateway-not-captured':
      return `we captured ${money(f.ourCaptureMinor, d.currency)}, the gateway says ${ref} is ${text(f.gatewayState)}`;
    case 'missing-at-gateway':
      return `we captured ${money(f.ourCaptureMinor, d.currency)}, the gateway lists no authorization ${ref}`;
    case 'not-captured-here':
      return `the gateway captured ${money(d.amountMinor, d.currency)} on ${ref}; our hold is ${text(f.ourState)}`;
    default:
      return `the gateway's record of ${ref} disagrees with ours`;
  }
}

/** One line of the aggregate: how many items of a kind, and their money, per tenant and currency. */
export interface TotalRow {
  tenantId: string | null;
  kind: DiscrepancyKind;
  currency: string | null;
  count: number;
  amountMinor: number;
}

export interface KindTotal {
  count: number;
  /** Money at stake per currency, minor units (items whose amount is unknown count, and add nothing). */
  byCurrency: Record<string, number>;
}

export interface Totals {
  count: number;
  byKind: Record<DiscrepancyKind, KindTotal>;
}

export function emptyTotals(): Totals {
  return { count: 0, byKind: Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, { count: 0, byCurrency: {} }])) as Record<DiscrepancyKind, KindTotal> };
}

/** Adds aggregate rows (those of `tenantId` only, when given) to the totals. */
export function addRows(totals: Totals, rows: Iterable<TotalRow>, tenantId?: string | null): Totals {
  for (const row of rows) {
    if (tenantId !== undefined && row.tenantId !== tenantId) continue;
    const kind = totals.byKind[row.kind];
    totals.count += row.count;
    kind.count += row.count;
    if (row.currency !== null) kind.byCurrency[row.currency] = (kind.byCurrency[row.currency] ?? 0) + row.amountMinor;
  }
  return totals;
}

/** The aggregate rows of a list of items (the gateway's, which are found in memory). */
export function rowsOf(items: readonly Discrepancy[]): TotalRow[] {
  return items.map((d) => ({ tenantId: d.tenantId, kind: d.kind, currency: d.currency, count: 1, amountMinor: d.amountMinor }));
}
