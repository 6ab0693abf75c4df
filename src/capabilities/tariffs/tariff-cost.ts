/**
 * The cost engine (core): ONE pure function, `priceSession`, prices a session under a tariff.
 * The live cost (session open: `end` = now), the final cost, the receipt and the CDR all call
 * it, so they cannot disagree; an open session priced again later only adds what happened since.
 *
 * Periods. The session is cut at every instant a price can change - a time-of-day bound or
 * midnight on the site's wall clock, an offset change (DST), a duration bound, the instant the
 * delivered energy crosses a kWh bound, every meter sample (power, current and charging state
 * change there) - and adjacent pieces priced by the same components in the same state (charging
 * or not) are joined. Each period says which element priced each dimension.
 *
 * Step sizes (OCPI 2.2.1, CDRs module, "step_size"): applied once per session, never per
 * period: ENERGY on the session's billed energy with the step of the last period that billed
 * energy; TIME and PARKING_TIME together: the last period that billed time decides the dimension
 * (charging or parking time) and its step; that dimension's session total is rounded up and the
 * extra is billed in that last period. The other time dimension is not rounded.
 *
 * Rounding rule - exact until the end, half-up once per total:
 * - every period and component cost is an exact rational (price x quantity / unit; VAT applied
 *   per component as price x (1 + vat/100)); nothing is rounded per period or per component;
 * - the session's totals excluding and including tax are each summed exactly, bounded by min and
 *   max price, then rounded half-up (a half goes away from zero) to the currency's ISO 4217
 *   minor units (EUR 2, JPY 0, KWD 3). That rounded pair is the amount billed.
 * Why per total: rounding each component first makes the sum depend on how the session was cut
 * (the OCPI complex example: 2.875 + 3.30 + 4.125 incl. VAT is 10.30 per total but 10.31 when
 * each line is rounded). Partners who both price per total agree to the cent. The period and
 * dimension amounts in the output are the exact values shown to 12 decimals, for display and
 * breakdowns; they are not rounded to cents and their rounded sum can differ from the total.
 *
 * Tax: `vat` absent = no VAT (incl = excl). With `taxIncluded` (OCPI 2.3.0 YES) prices are
 * including tax and excl = incl / (1 + vat/100) (= incl when no rate is given: the tax is then
 * unknown to the tariff). Min/max bounds apply to each total on its own (OCPI 2.2.1 notes on
 * min_price/max_price); a bound without its incl. value moves the incl. total by the same
 * proportion as the excl. total (incl = excl when the excl. total was 0).
 *
 * Live cost is non-decreasing as `now` advances while the tariff's prices are >= 0, with one
 * exception the OCPI step rule implies: when charging stops, the rounding of charging time is
 * dropped (parking time is rounded instead), which can lower the total by less than one step.
 */
import { add, ceilToMultiple, dec, div, formatMoney, gt, lt, mul, ONE, ratio, sign, sub, sum, toDecimalString, toMinorUnits, ZERO, type Ratio } from '../../kernel/decimal.ts';
import { chooseComponents, sessionBounds, timeOfDayBounds, type ChosenComponents } from './tariff-cost-select.ts';
import { localTime, offsetChanges, wallClockInstants } from './tariff-cost-time.ts';
import { instantMs, plusSeconds, secondsBetween, UsageCurve, type MeterSample } from './tariff-cost-usage.ts';
import type { PriceComponent, TariffDimension, TariffModel } from './tariff.ts';

export type { MeterSample } from './tariff-cost-usage.ts';

export interface SessionUsage {
  /** IANA time zone of the site ("Europe/Amsterdam"). */
  timeZone: string;
  start: string | Date | number;
  /** The session's end; for an open session, now. */
  end: string | Date | number;
  /** Meter samples; include the start reading at `start` (see tariff-cost-usage.ts for how they are read). */
  samples: readonly MeterSample[];
}

export interface PeriodQuantities {
  energyWh: string;
  chargingSeconds: string;
  parkingSeconds: string;
}

export interface CostPeriod {
  startDateTime: string;
  endDateTime: string;
  /** Wall clock of the site at the start, "YYYY-MM-DDTHH:MM:SS", and its UTC offset in minutes. */
  localStart: string;
  utcOffsetMinutes: number;
  charging: boolean;
  /** Index (in tariff.elements) of the element whose component priced each dimension here. */
  elements: Partial<Record<TariffDimension, number>>;
  measured: PeriodQuantities;
  /** What is billed: measured amounts of priced dimensions, plus the step-size extra in the last period. */
  dimensions: PeriodQuantities & { flat: number };
  /** Exact cost of the period, shown to 12 decimals (not rounded to minor units). */
  costExclTax: string;
  costInclTax: string;
}

export interface DimensionTotal {
  /** Billed quantity: Wh, seconds, or number of flat fees. */
  quantity: string;
  exclTax: string;
  inclTax: string;
}

export interface PricedSession {
  currency: string;
  periods: CostPeriod[];
  totalExclTax: string;
  totalInclTax: string;
  totalExclTaxMinor: number;
  totalInclTaxMinor: number;
  /** Exact totals before min/max and rounding, to 12 decimals. */
  unboundedExclTax: string;
  unboundedInclTax: string;
  minPriceApplied: boolean;
  maxPriceApplied: boolean;
  /** Per dimension, exact amounts to 12 decimals (before min/max). */
  dimensions: Record<'energy' | 'time' | 'parkingTime' | 'flat', DimensionTotal>;
  measured: PeriodQuantities;
}

interface Piece {
  from: Ratio;
  to: Ratio;
  charging: boolean;
  chosen: ChosenComponents;
  energyWh: Ratio;
  seconds: Ratio;
  flat: boolean;
}

interface Period extends Piece {
  billedEnergy: Ratio;
  billedTime: Ratio;
}

const HUNDRED = ratio(BigInt(100));
const WH_PER_KWH = ratio(BigInt(1000));
const SECONDS_PER_HOUR = ratio(BigInt(3600));
const show = (r: Ratio) => toDecimalString(r, 12);
const msOf = (r: Ratio) => Number(r.n / r.d);
const iso = (r: Ratio) => new Date(msOf(r)).toISOString();
const key = (r: Ratio) => `${r.n}/${r.d}`;
const sameChoice = (a: ChosenComponents, b: ChosenComponents) =>
  (['ENERGY', 'TIME', 'PARKING_TIME'] as const).every((d) => a[d]?.element === b[d]?.element);

/** Instants at which a price can change, strictly inside (start, end), ascending. */
function cuts(tariff: TariffModel, usage: SessionUsage, curve: UsageCurve, start: Ratio, end: Ratio): Ratio[] {
  const inside = new Map<string, Ratio>();
  const put = (t: Ratio | undefined) => {
    if (t && gt(t, start) && lt(t, end)) inside.set(key(t), t);
  };
  const from = msOf(start);
  const to = Math.ceil(Number(end.n) / Number(end.d));
  for (const t of curve.sampleTimes()) put(t);
  for (const ms of wallClockInstants(from, to, usage.timeZone, timeOfDayBounds(tariff))) put(ratio(BigInt(ms)));
  for (const ms of offsetChanges(from, to, usage.timeZone)) put(ratio(BigInt(ms)));
  const bounds = sessionBounds(tariff);
  for (const s of bounds.durationSeconds) put(plusSeconds(start, s));
  const atStart = curve.deliveredAt(start);
  for (const wh of bounds.energyWh) put(curve.instantReaching(add(atStart, wh)));
  return [...inside.values()].sort((a, b) => (lt(a, b) ? -1 : 1));
}

function pieces(tariff: TariffModel, usage: SessionUsage, curve: UsageCurve, start: Ratio, end: Ratio): Piece[] {
  const instants = [start, ...cuts(tariff, usage, curve, start, end), end];
  const atStart = curve.deliveredAt(start);
  const result: Piece[] = [];
  let flatTaken = false;
  for (let i = 0; i + 1 < instants.length; i++) {
    const from = instants[i]!;
    const to = instants[i + 1]!;
    const state = curve.stateAt(from);
    const local = localTime(msOf(from), usage.timeZone);
    const chosen = chooseComponents(tariff, { local, deliveredWh: sub(curve.deliveredAt(from), atStart), elapsedSeconds: secondsBetween(start, from), state });
    const flat: boolean = !flatTaken && chosen.FLAT !== undefined;
    flatTaken ||= flat;
    result.push({ from, to, charging: state.charging, chosen, energyWh: sub(curve.deliveredAt(to), curve.deliveredAt(from)), seconds: secondsBetween(from, to), flat });
  }
  return result;
}

function join(list: Piece[]): Period[] {
  const periods: Period[] = [];
  for (const p of list) {
    const last = periods[periods.length - 1];
    if (last && last.charging === p.charging && sameChoice(last.chosen, p.chosen)) {
      last.to = p.to;
      last.energyWh = add(last.energyWh, p.energyWh);
      last.seconds = add(last.seconds, p.seconds);
      if (p.flat) last.chosen = { ...last.chosen, FLAT: p.chosen.FLAT };
      last.flat ||= p.flat;
    } else periods.push({ ...p, chosen: { ...p.chosen }, billedEnergy: ZERO, billedTime: ZERO });
  }
  for (const p of periods) {
    if (!p.flat) delete p.chosen.FLAT;
    p.billedEnergy = p.chosen.ENERGY ? p.energyWh : ZERO;
    p.billedTime = (p.charging ? p.chosen.TIME : p.chosen.PARKING_TIME) ? p.seconds : ZERO;
  }
  return periods;
}

function lastOf<T>(list: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return list[i];
  return undefined;
}

/** OCPI step sizes, once per session: the extra goes to the last period that billed the dimension. */
function applyStepSizes(periods: Period[]): void {
  const lastEnergy = lastOf(periods, (p) => p.chosen.ENERGY !== undefined && sign(p.billedEnergy) > 0);
  if (lastEnergy) {
    const total = sum(periods.map((p) => p.billedEnergy));
    const step = ratio(BigInt(Math.max(1, lastEnergy.chosen.ENERGY!.component.stepSize)));
    lastEnergy.billedEnergy = add(lastEnergy.billedEnergy, sub(ceilToMultiple(total, step), total));
  }
  const lastTime = lastOf(periods, (p) => sign(p.billedTime) > 0);
  if (lastTime) {
    const same = periods.filter((p) => p.charging === lastTime.charging);
    const total = sum(same.map((p) => p.billedTime));
    const component = (lastTime.charging ? lastTime.chosen.TIME : lastTime.chosen.PARKING_TIME)!.component;
    const step = ratio(BigInt(Math.max(1, component.stepSize)));
    lastTime.billedTime = add(lastTime.billedTime, sub(ceilToMultiple(total, step), total));
  }
}

/** Exact excl. and incl. tax amount of `quantity` units of a component. */
function amount(tariff: TariffModel, c: PriceComponent, units: Ratio): { excl: Ratio; incl: Ratio } {
  const gross = mul(dec(c.price), units);
  if (c.vat === undefined || tariff.taxNotApplicable) return { excl: gross, incl: gross };
  const factor = add(ONE, div(dec(c.vat), HUNDRED));
  return tariff.taxIncluded ? { excl: div(gross, factor), incl: gross } : { excl: gross, incl: mul(gross, factor) };
}

function bound(excl: Ratio, incl: Ratio, limit: { exclVat: string; inclVat?: string } | undefined, side: 'min' | 'max'): { excl: Ratio; incl: Ratio; applied: boolean } {
  if (!limit) return { excl, incl, applied: false };
  const beyond = (value: Ratio, edge: Ratio) => (side === 'min' ? lt(value, edge) : gt(value, edge));
  const limitExcl = dec(limit.exclVat);
  const newExcl = beyond(excl, limitExcl) ? limitExcl : excl;
  let newIncl = incl;
  if (limit.inclVat !== undefined) {
    if (beyond(incl, dec(limit.inclVat))) newIncl = dec(limit.inclVat);
  } else if (newExcl !== excl) newIncl = sign(excl) === 0 ? newExcl : mul(incl, div(newExcl, excl));
  return { excl: newExcl, incl: newIncl, applied: newExcl !== excl || newIncl !== incl };
}

/** Prices a session (open or closed) under a tariff; see the file header for every rule. */
export function priceSession(tariff: TariffModel, usage: SessionUsage): PricedSession {
  const startMs = instantMs(usage.start, 'start');
  const start = ratio(BigInt(startMs));
  const end = ratio(BigInt(Math.max(startMs, instantMs(usage.end, 'end'))));
  const curve = new UsageCurve(usage.samples);
  const periods = join(pieces(tariff, usage, curve, start, end));
  applyStepSizes(periods);

  const totals = { energy: [ZERO, ZERO, ZERO], time: [ZERO, ZERO, ZERO], parkingTime: [ZERO, ZERO, ZERO], flat: [ZERO, ZERO, ZERO] };
  const accrue = (slot: Ratio[], quantity: Ratio, cost: { excl: Ratio; incl: Ratio }) => {
    slot[0] = add(slot[0]!, quantity);
    slot[1] = add(slot[1]!, cost.excl);
    slot[2] = add(slot[2]!, cost.incl);
  };
  const out: CostPeriod[] = periods.map((p) => {
    let excl = ZERO;
    let incl = ZERO;
    const take = (slot: Ratio[], quantity: Ratio, c: PriceComponent | undefined, unit: Ratio) => {
      if (!c) return;
      const cost = amount(tariff, c, div(quantity, unit));
      accrue(slot, quantity, cost);
      excl = add(excl, cost.excl);
      incl = add(incl, cost.incl);
    };
    take(totals.energy, p.billedEnergy, p.chosen.ENERGY?.component, WH_PER_KWH);
    if (p.charging) take(totals.time, p.billedTime, p.chosen.TIME?.component, SECONDS_PER_HOUR);
    else take(totals.parkingTime, p.billedTime, p.chosen.PARKING_TIME?.component, SECONDS_PER_HOUR);
    if (p.flat) take(totals.flat, ONE, p.chosen.FLAT?.component, ONE);
    const local = localTime(msOf(p.from), usage.timeZone);
    const elements: Partial<Record<TariffDimension, number>> = {};
    for (const [dimension, chosen] of Object.entries(p.chosen)) if (chosen) elements[dimension as TariffDimension] = chosen.element;
    return {
      startDateTime: iso(p.from),
      endDateTime: iso(p.to),
      localStart: local.wall,
      utcOffsetMinutes: local.offsetMinutes,
      charging: p.charging,
      elements,
      measured: { energyWh: show(p.energyWh), chargingSeconds: show(p.charging ? p.seconds : ZERO), parkingSeconds: show(p.charging ? ZERO : p.seconds) },
      dimensions: {
        energyWh: show(p.billedEnergy),
        chargingSeconds: show(p.charging ? p.billedTime : ZERO),
        parkingSeconds: show(p.charging ? ZERO : p.billedTime),
        flat: p.flat ? 1 : 0,
      },
      costExclTax: show(excl),
      costInclTax: show(incl),
    };
  });

  const excl = sum([totals.energy[1]!, totals.time[1]!, totals.parkingTime[1]!, totals.flat[1]!]);
  const incl = sum([totals.energy[2]!, totals.time[2]!, totals.parkingTime[2]!, totals.flat[2]!]);
  const low = bound(excl, incl, tariff.minPrice, 'min');
  const high = bound(low.excl, low.incl, tariff.maxPrice, 'max');
  const dimension = (slot: Ratio[]): DimensionTotal => ({ quantity: show(slot[0]!), exclTax: show(slot[1]!), inclTax: show(slot[2]!) });
  const measured = (charging: boolean) => show(sum(periods.filter((p) => p.charging === charging).map((p) => p.seconds)));
  return {
    currency: tariff.currency,
    periods: out,
    totalExclTax: formatMoney(high.excl, tariff.currency),
    totalInclTax: formatMoney(high.incl, tariff.currency),
    totalExclTaxMinor: toMinorUnits(high.excl, tariff.currency),
    totalInclTaxMinor: toMinorUnits(high.incl, tariff.currency),
    unboundedExclTax: show(excl),
    unboundedInclTax: show(incl),
    minPriceApplied: low.applied,
    maxPriceApplied: high.applied,
    dimensions: { energy: dimension(totals.energy), time: dimension(totals.time), parkingTime: dimension(totals.parkingTime), flat: dimension(totals.flat) },
    measured: { energyWh: show(sum(periods.map((p) => p.energyWh))), chargingSeconds: measured(true), parkingSeconds: measured(false) },
  };
}
