/**
 * What a station that prices locally says a session cost, checked against our CDR (core).
 *
 * A 2.1 TransactionEvent may carry the station's own cost (OCPP 2.1 schema,
 * TransactionEventRequest.costDetails: totalCost {currency, typeOfCost, total {exclTax, inclTax}},
 * totalUsage, failureToCalculate, failureReason). The transactions adapter keeps it, in these
 * neutral words, in the summary of the event that carried it (`summary.stationCost`); when our
 * CDR is written the two totals are compared. A difference of one minor unit is tolerated (the
 * station may round per dimension where the CDR rounds once per total: docs/tariffs.md); more is
 * flagged for an operator, never corrected: the CDR stays what our engine priced.
 */
import { dec, div, fromMinorUnits, gt, integer, isZero, lt, neg, parseDecimal, sub, toDecimalString, type Ratio } from '../../kernel/decimal.ts';

/** The station's cost of a session, as the transactions adapter keeps it (amounts as decimal text). */
export interface StationCost {
  currency: string;
  /** NormalCost, MinCost or MaxCost: whether the station's minimum or maximum price applied. */
  typeOfCost: string;
  totalExclTax: string | null;
  totalInclTax: string | null;
  failureToCalculate: boolean;
  failureReason: string | null;
  /** The station tariff ids its charging periods name (ours read "<tariffId>-v<version>"). */
  tariffIds: string[];
  energyWh: string | null;
  /** The whole session (charging and not), and the part not charging, in seconds. */
  durationSec: number | null;
  idleSec: number | null;
}

/** Our side: the CDR in force (amounts as decimal text, null when the session had no tariff). */
export interface OurCost {
  cdrId: string;
  currency: string | null;
  totalExclTax: string | null;
  totalInclTax: string | null;
}

/**
 * - agrees: the totals differ by at most one minor unit;
 * - differs: by more;
 * - currency-differs: the station priced in another currency than our tariff;
 * - station-failed: the station says it could not compute the cost (failureToCalculate);
 * - not-priced-here: our CDR has no tariff (free here) and the station charged something;
 * - not-comparable: the station gave only the total excluding tax where we have none, or the other way round.
 */
export type StationCostStatus = 'agrees' | 'differs' | 'currency-differs' | 'station-failed' | 'not-priced-here' | 'not-comparable';

export interface StationCostCheck {
  status: StationCostStatus;
  /** Which totals were compared. */
  compared: 'inclTax' | 'exclTax' | null;
  /** Station minus ours, in minor units of the currency (decimal text: a station may send fractions of a cent). */
  difference: string | null;
}

/** One minor unit is the tolerance: "more than one minor unit" is a disagreement. */
const TOLERANCE_MINOR = integer(1);

export function isFlagged(status: StationCostStatus): boolean {
  return status !== 'agrees';
}

/** Station minus ours in minor units of `currency` (exact), and whether it is beyond one minor unit either way. */
function differenceMinor(station: string, ours: string, currency: string): { beyond: boolean; minor: Ratio } {
  const minor = div(sub(dec(station), dec(ours)), fromMinorUnits(1, currency));
  return { beyond: gt(minor, TOLERANCE_MINOR) || lt(minor, neg(TOLERANCE_MINOR)), minor };
}

export function checkStationCost(station: StationCost, ours: OurCost): StationCostCheck {
  if (station.failureToCalculate) return { status: 'station-failed', compared: null, difference: null };
  if (ours.currency === null) {
    const charged = [station.totalInclTax, station.totalExclTax].some((t) => t !== null && !isZero(dec(t)));
    return { status: charged ? 'not-priced-here' : 'agrees', compared: null, difference: null };
  }
  if (station.currency !== ours.currency) return { status: 'currency-differs', compared: null, difference: null };
  const pairs: Array<['inclTax' | 'exclTax', string | null, string | null]> = [
    ['inclTax', station.totalInclTax, ours.totalInclTax],
    ['exclTax', station.totalExclTax, ours.totalExclTax],
  ];
  for (const [compared, theirs, mine] of pairs) {
    if (theirs === null || mine === null) continue;
    const { beyond, minor } = differenceMinor(theirs, mine, ours.currency);
    return { status: beyond ? 'differs' : 'agrees', compared, difference: toDecimalString(minor, 6) };
  }
  return { status: 'not-comparable', compared: null, difference: null };
}

// --- Reading what the adapter kept -----------------------------------------------------------

const text = (v: unknown): string | null => (typeof v === 'string' && parseDecimal(v) !== undefined ? v : null);
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The station's cost kept in a timeline event's summary, or null when the event carried none (or something else). */
export function stationCostOf(summary: Readonly<Record<string, unknown>>): StationCost | null {
  const s = summary.stationCost;
  if (typeof s !== 'object' || s === null) return null;
  const o = s as Record<string, unknown>;
  if (typeof o.currency !== 'string' || typeof o.typeOfCost !== 'string') return null;
  return {
    currency: o.currency,
    typeOfCost: o.typeOfCost,
    totalExclTax: text(o.totalExclTax),
    totalInclTax: text(o.totalInclTax),
    failureToCalculate: o.failureToCalculate === true,
    failureReason: typeof o.failureReason === 'string' ? o.failureReason : null,
    tariffIds: Array.isArray(o.tariffIds) ? o.tariffIds.filter((id): id is string => typeof id === 'string') : [],
    energyWh: text(o.energyWh),
    durationSec: count(o.durationSec),
    idleSec: count(o.idleSec),
  };
}

/**
 * The station's final word on a session's cost among its timeline's summaries (in the order they
 * were received): the Ended event's when it carried one, else the latest that did.
 */
export function finalStationCost(summaries: ReadonlyArray<Readonly<Record<string, unknown>>>): StationCost | null {
  let latest: StationCost | null = null;
  for (const summary of summaries) {
    const cost = stationCostOf(summary);
    if (!cost) continue;
    if (summary.message === 'TransactionEvent Ended') return cost;
    latest = cost;
  }
  return latest;
}
