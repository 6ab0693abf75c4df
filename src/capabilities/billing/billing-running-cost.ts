/**
 * Running cost to the station and the driver (issue 15), the pure part: when a session's cost is
 * sent again, what a command carries, and the unit prices a station shows beside the cost.
 *
 * The cost itself is never computed here: it is the `priced` result of BillingService.price(tx),
 * the same call that fills the transaction's REST view and the CDR, so the station, the view and
 * the bill cannot disagree. The wire words (CostUpdated, the California pricing DataTransfer) are
 * the adapters' (billing-ocpp16/201/21.ts); these are the API's own.
 */
import { add, dec, div, eq, integer, mul, toDecimalString, type Ratio } from '../../kernel/decimal.ts';
import type { CostPeriod, TariffModel } from '../tariffs/index.ts';

/** The command types this capability contributes (ADR 23). */
export const COST_UPDATED = 'costUpdated';
export const DRIVER_COST = 'californiaCost';

/** What was last sent for one transaction. */
export interface SentCost {
  at: Date;
  /** totalInclTax as decimal text ("4.20"). */
  total: string;
}

/**
 * Whether enough time has passed since the last running cost of a transaction to send another:
 * always for the first one, never while `intervalMs` is 0 (switched off). Asked before the session
 * is priced, so a meter value inside the interval costs no pricing at all.
 */
export function runningCostDue(last: SentCost | undefined, now: Date, intervalMs: number): boolean {
  if (intervalMs <= 0) return false;
  return last === undefined || now.getTime() - last.at.getTime() >= intervalMs;
}

/** A due update is only sent when the amount the driver sees moved (the same figure again tells nothing). */
export function costChanged(last: SentCost | undefined, total: string): boolean {
  return last === undefined || !eq(dec(last.total), dec(total));
}

/** A money amount for the wire: OCPP's decimal fields are JSON numbers; the text is already rounded to minor units. */
export function amountOf(total: string): number {
  return Number(total);
}

// --- Command parameters (as stored; REST bodies in billing-running-cost-http.ts) ---------------

/** `costUpdated`: a 2.x station's running cost of one transaction. */
export interface CostUpdatedParams extends Record<string, unknown> {
  /** Ours or the station's own id (resolved at submission, like a stop). */
  transactionId: string;
  /** Total including tax, in the tariff's currency. */
  totalCost: number;
  /** Filled at submission. */
  ocppTransactionId?: string;
}

/** Unit prices including tax, in the tariff's currency; absent where the tariff has none. */
export interface UnitPrices {
  perKwh?: number;
  perHour?: number;
  flat?: number;
}

/** `californiaCost`: a 1.6 station's running or final cost (the OCA California pricing extension). */
export interface DriverCostParams extends Record<string, unknown> {
  transactionId: string;
  message: 'runningCost' | 'finalCost';
  /** Total including tax so far (running) or in the end (final). */
  cost: number;
  /** Running: the meter reading (Wh) the cost is based on, and when it was read; filled at submission when absent. */
  meterWh?: number;
  at?: string;
  /** Running: whether the driver pays for charging or for idle time (only `charging` is decided by this CSMS). */
  state?: 'charging' | 'idle';
  prices?: UnitPrices;
  /** Final: the text the station shows with the total; composed at submission when absent. */
  priceText?: string;
  ocppTransactionId?: string;
}

export function checkCostUpdated(p: CostUpdatedParams): string | null {
  return p.transactionId.trim() === '' ? 'transactionId must not be empty' : null;
}

export function checkDriverCost(p: DriverCostParams): string | null {
  if (p.transactionId.trim() === '') return 'transactionId must not be empty';
  if (p.message === 'finalCost' && (p.meterWh !== undefined || p.state !== undefined || p.prices !== undefined)) {
    return 'meterWh, state and prices belong to a runningCost message';
  }
  if (p.message === 'runningCost' && p.priceText !== undefined) return 'priceText belongs to a finalCost message';
  return null;
}

/** The text a station shows with a final cost when none was given: the total and the energy. */
export function finalPriceText(total: string, currency: string | null, energyWh: string | null): string {
  const energy = energyWh === null ? '' : `, ${toDecimalString(div(dec(energyWh), integer(1000)), 3)} kWh`;
  return `Total ${total}${currency ? ` ${currency}` : ''}${energy}`;
}

// --- Unit prices --------------------------------------------------------------------------------

const HUNDRED = integer(100);

/** A component's price with its tax, as the tariff states it (2.3.0 tax included, or no tax applicable: as is). */
function withTax(tariff: TariffModel, price: string, vat: string | undefined): Ratio {
  const base = dec(price);
  if (tariff.taxIncluded || tariff.taxNotApplicable || vat === undefined) return base;
  return mul(base, div(add(HUNDRED, dec(vat)), HUNDRED));
}

/**
 * The unit prices in force in the session's latest priced period: the element the engine chose
 * for each dimension there (CostPeriod.elements), so a station that counts on between two updates
 * counts with what is billed now. Empty when the session has no period yet.
 */
export function unitPricesOf(tariff: TariffModel, period: CostPeriod | undefined): UnitPrices {
  if (!period) return {};
  const out: UnitPrices = {};
  const pick = (dimension: 'ENERGY' | 'TIME' | 'FLAT', field: keyof UnitPrices) => {
    const index = period.elements[dimension];
    const component = index === undefined ? undefined : tariff.elements[index]?.priceComponents.find((c) => c.type === dimension);
    if (component) out[field] = Number(toDecimalString(withTax(tariff, component.price, component.vat), 6));
  };
  pick('ENERGY', 'perKwh');
  pick('TIME', 'perHour');
  pick('FLAT', 'flat');
  return out;
}
