/**
 * Which price component applies at a moment of a session (core).
 *
 * OCPI 2.2.1, Tariff object: per dimension, the first element in the list that has a component
 * for that dimension and whose restrictions all match is used; no match means that dimension is
 * free at that moment. TIME prices time while charging, PARKING_TIME time while not charging,
 * ENERGY all energy, FLAT once per session (at the first moment a FLAT component matches).
 * Elements with a `reservation` restriction price reservations, not sessions, and are skipped.
 *
 * Restrictions are checked on the facts at the start of a piece of the session; the engine cuts
 * the session at every instant a fact can cross a restriction's bound (times of day, midnights,
 * offset changes, duration bounds, energy bounds, samples), so they hold for the whole piece.
 */
import { compare, dec, mul, ratio, type Ratio } from '../../kernel/decimal.ts';
import type { LocalTime } from './tariff-cost-time.ts';
import type { IntervalState } from './tariff-cost-usage.ts';
import type { PriceComponent, TariffDimension, TariffModel, TariffRestrictions } from './tariff.ts';

export interface MomentFacts {
  local: LocalTime;
  /** Energy delivered since the session's start, Wh. */
  deliveredWh: Ratio;
  /** Seconds since the session's start. */
  elapsedSeconds: Ratio;
  state: IntervalState;
}

export interface Chosen {
  element: number;
  component: PriceComponent;
}

export type ChosenComponents = Partial<Record<TariffDimension, Chosen>>;

const THOUSAND = ratio(BigInt(1000));
const kilo = (value: number): Ratio => mul(dec(value), THOUSAND);

function secondOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3, 5)) * 60;
}

function timeOfDayMatches(r: TariffRestrictions, second: number): boolean {
  if (r.startTime === undefined && r.endTime === undefined) return true;
  const start = r.startTime !== undefined ? secondOf(r.startTime) : 0;
  let end = r.endTime !== undefined ? secondOf(r.endTime) : 86_400;
  if (end === 0) end = 86_400; // "00:00" as an end is the end of the day
  if (start === end) return true;
  return start < end ? second >= start && second < end : second >= start || second < end;
}

/** Lower bound inclusive, upper bound exclusive; an unknown value matches no bound. */
function within(value: Ratio | undefined, low: Ratio | undefined, high: Ratio | undefined): boolean {
  if (low === undefined && high === undefined) return true;
  if (value === undefined) return false;
  if (low !== undefined && compare(value, low) < 0) return false;
  if (high !== undefined && compare(value, high) >= 0) return false;
  return true;
}

const opt = (value: number | undefined, scale: (n: number) => Ratio = dec): Ratio | undefined => (value === undefined ? undefined : scale(value));

export function restrictionsMatch(r: TariffRestrictions | undefined, facts: MomentFacts): boolean {
  if (!r) return true;
  if (r.reservation) return false;
  if (!timeOfDayMatches(r, facts.local.secondOfDay)) return false;
  if (r.startDate !== undefined && facts.local.date < r.startDate) return false;
  if (r.endDate !== undefined && facts.local.date >= r.endDate) return false;
  if (r.dayOfWeek && r.dayOfWeek.length > 0 && !r.dayOfWeek.includes(facts.local.weekday)) return false;
  if (!within(facts.deliveredWh, opt(r.minKwh, kilo), opt(r.maxKwh, kilo))) return false;
  if (!within(facts.state.currentA, opt(r.minCurrent), opt(r.maxCurrent))) return false;
  if (!within(facts.state.powerW, opt(r.minPower, kilo), opt(r.maxPower, kilo))) return false;
  if (!within(facts.elapsedSeconds, opt(r.minDuration), opt(r.maxDuration))) return false;
  return true;
}

/** The component of each dimension that prices this moment (FLAT included; the engine uses it once). */
export function chooseComponents(tariff: TariffModel, facts: MomentFacts): ChosenComponents {
  const chosen: ChosenComponents = {};
  tariff.elements.forEach((element, index) => {
    let matched: boolean | undefined;
    for (const component of element.priceComponents) {
      if (chosen[component.type]) continue;
      if (component.type === 'TIME' && !facts.state.charging) continue;
      if (component.type === 'PARKING_TIME' && facts.state.charging) continue;
      matched ??= restrictionsMatch(element.restrictions, facts);
      if (matched) chosen[component.type] = { element: index, component };
    }
  });
  return chosen;
}

/** Every wall-clock second of day at which some element's time-of-day restriction starts or ends (and midnight). */
export function timeOfDayBounds(tariff: TariffModel): number[] {
  const seconds = new Set<number>([0]);
  for (const e of tariff.elements) {
    if (e.restrictions?.startTime) seconds.add(secondOf(e.restrictions.startTime));
    if (e.restrictions?.endTime) seconds.add(secondOf(e.restrictions.endTime));
  }
  return [...seconds].sort((a, b) => a - b);
}

/** Energy bounds (Wh since the start) and duration bounds (s) of the elements' restrictions. */
export function sessionBounds(tariff: TariffModel): { energyWh: Ratio[]; durationSeconds: number[] } {
  const energyWh: Ratio[] = [];
  const durationSeconds: number[] = [];
  for (const e of tariff.elements) {
    const r = e.restrictions;
    if (!r) continue;
    for (const kwh of [r.minKwh, r.maxKwh]) if (kwh !== undefined && kwh > 0) energyWh.push(kilo(kwh));
    for (const s of [r.minDuration, r.maxDuration]) if (s !== undefined && s > 0) durationSeconds.push(s);
  }
  return { energyWh, durationSeconds };
}
