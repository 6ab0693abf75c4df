/**
 * The money page's view logic (pure): the period the operator picks, the
 * money at stake per kind and currency, and how CDR figures read. Amounts
 * arrive as decimal text already rounded by the server; nothing here does
 * arithmetic on money, so no float can change a figure.
 */

/** One reconciliation item, as GET /api/v1/reconciliation lists it (docs/reconciliation.md). */
export interface ReconciliationItem {
  kind: string;
  transactionId: string | null;
  holdId: string | null;
  cdrId: string | null;
  stationId: string | null;
  stoppedAt: string | null;
  amount: string;
  currency: string | null;
  amountMinor: number;
  amountKnown: boolean;
  detail: string;
}

export interface KindTotal {
  count: number;
  byCurrency: Record<string, { amount: string; amountMinor: number }>;
}

export interface Reconciliation {
  from: string;
  to: string;
  gatewayChecked: boolean;
  transactions: number;
  itemCount: number;
  items: ReconciliationItem[];
  totals: { count: number; byKind: Record<string, KindTotal> };
}

export interface Cdr {
  id: string;
  transactionId: string;
  sequence: number;
  kind: 'debit' | 'credit';
  stationId: string;
  stoppedAt: string;
  energyWh: string;
  totalCost: { currency: string; exclTax: string; inclTax: string } | null;
  estimated: boolean;
}

/** A day picked in the form, YYYY-MM-DD (UTC). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The default period: yesterday, UTC (what the daily reconciliation run covers). */
export function yesterdayUtc(now: number): { from: string; to: string } {
  const day = dayOf(now - DAY_MS);
  return { from: day, to: day };
}

/**
 * The API's half-open `[from, to)` from the form's inclusive days: operators
 * think "from the 1st to the 7th", the API wants the 8th at midnight.
 * A reason (not an exception) when the days cannot make a period.
 */
export function periodQuery(fromDay: string, toDay: string): { from: string; to: string } | { problem: string } {
  if (!DAY.test(fromDay) || !DAY.test(toDay) || Number.isNaN(Date.parse(fromDay)) || Number.isNaN(Date.parse(toDay))) {
    return { problem: 'Pick both days of the period.' };
  }
  const from = Date.parse(`${fromDay}T00:00:00Z`);
  const to = Date.parse(`${toDay}T00:00:00Z`) + DAY_MS;
  if (to <= from) return { problem: 'The period ends before it starts.' };
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

export interface AtStakeRow {
  kind: string;
  count: number;
  /** null: the items of this kind have no known amount (nothing priced them). */
  currency: string | null;
  amount: string | null;
}

/**
 * The totals as table rows: one per kind and currency, found kinds only, in
 * the API's kind order. A kind whose items carry no amount (delivered, not
 * billed) still gets a row, so its count is not lost from the summary.
 */
export function atStakeRows(totals: Reconciliation['totals']): AtStakeRow[] {
  const rows: AtStakeRow[] = [];
  for (const [kind, total] of Object.entries(totals.byKind)) {
    if (total.count === 0) continue;
    const currencies = Object.entries(total.byCurrency).sort(([a], [b]) => a.localeCompare(b));
    if (currencies.length === 0) rows.push({ kind, count: total.count, currency: null, amount: null });
    for (const [currency, value] of currencies) rows.push({ kind, count: total.count, currency, amount: value.amount });
  }
  return rows;
}

/** "0.50 EUR"; an item of unknown amount says so instead of showing a zero. */
export function formatAmount(amount: string | null, currency: string | null, known = true): string {
  if (!known || amount === null || currency === null) return 'unknown';
  return `${amount} ${currency}`;
}

/** "delivered-not-billed" → "Delivered, not billed". */
export function kindLabel(kind: string): string {
  const words = kind.split('-');
  const text = words.length === 3 && words[1] === 'not' ? `${words[0]}, not ${words[2]}` : words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Energy as decimal Wh text → kWh with three decimals ("1500" → "1.500"); a credit's is negative. */
export function kwh(energyWh: string): string {
  const wh = Number(energyWh);
  return Number.isFinite(wh) ? (wh / 1000).toFixed(3) : '—';
}

/** A CDR's total including tax, or why there is none. */
export function cdrTotal(cdr: Pick<Cdr, 'totalCost'>): string {
  return cdr.totalCost ? `${cdr.totalCost.inclTax} ${cdr.totalCost.currency}` : 'not priced';
}

/** The CSV's file name: the period's days, safe on every file system. */
export function reconciliationCsvName(fromDay: string, toDay: string): string {
  const safe = (s: string) => s.replace(/[^0-9A-Za-z-]/g, '_');
  return fromDay === toDay ? `reconciliation-${safe(fromDay)}.csv` : `reconciliation-${safe(fromDay)}-to-${safe(toDay)}.csv`;
}
