/**
 * What a session consumed, moment by moment (core): the meter samples read as a curve of
 * delivered energy, and the state (charging or not, power, current) between samples.
 *
 * Reading rules (documented because a price depends on them):
 * - a sample's `energyWh` is the cumulative register; energy delivered is the sum of the
 *   increases between samples (a register that goes down, a meter reset, delivers nothing);
 * - between two samples energy is delivered at a constant rate (linear), so an interval cut by
 *   a price change is shared in proportion to time; before the first sample nothing is
 *   delivered and after the last nothing more is known (a live session's energy stops at its
 *   last sample until the next one arrives) - pass the start reading as a sample at the start;
 * - a sample's `charging`, `powerW` and `currentA` hold from it until the next sample. Without
 *   `charging`, an interval is charging when energy rose in it; after the last sample the state
 *   of the interval before it continues. With no samples at all the whole session is charging.
 * - without `powerW` the power of an interval is its average (energy / time); without
 *   `currentA` the current is unknown, and current restrictions do not match.
 */
import { add, compare, dec, div, gt, mul, mulDiv, ratio, sub, ZERO, type Ratio } from '../../kernel/decimal.ts';

export interface MeterSample {
  /** Instant of the reading (ISO 8601 text, Date or epoch milliseconds). */
  at: string | Date | number;
  /** Cumulative energy register in Wh, decimal text. */
  energyWh: string | number;
  /** Active power in W at this instant, if the station reported it. */
  powerW?: string | number;
  /** Current in A summed over phases, if reported. */
  currentA?: string | number;
  /** Whether the EV was charging (true) or idle/parking (false) from this sample on. */
  charging?: boolean;
}

export interface IntervalState {
  charging: boolean;
  /** Power in W, undefined when unknown. */
  powerW?: Ratio;
  currentA?: Ratio;
}

interface Point {
  ms: Ratio;
  /** Energy delivered since the first sample, Wh. */
  delivered: Ratio;
  sample: MeterSample;
}

/** Milliseconds since the epoch of an instant given as text, Date or number. */
export function instantMs(value: string | Date | number, what: string): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid instant: ${String(value)}`);
  return ms;
}

const MS_PER_HOUR = ratio(BigInt(3_600_000));

export class UsageCurve {
  private readonly points: Point[];

  constructor(samples: readonly MeterSample[]) {
    const sorted = samples.map((sample, i) => ({ sample, i, ms: instantMs(sample.at, `samples[${i}].at`) })).sort((a, b) => a.ms - b.ms || a.i - b.i);
    const points: Point[] = [];
    let delivered = ZERO;
    let previous: Ratio | undefined;
    for (const { sample, ms } of sorted) {
      const register = dec(sample.energyWh);
      if (previous !== undefined && gt(register, previous)) delivered = add(delivered, sub(register, previous));
      previous = register;
      const point = { ms: ratio(BigInt(ms)), delivered, sample };
      const last = points[points.length - 1];
      if (last && compare(last.ms, point.ms) === 0) points[points.length - 1] = point;
      else points.push(point);
    }
    this.points = points;
  }

  /** Instants of the samples (ms), ascending. */
  sampleTimes(): Ratio[] {
    return this.points.map((p) => p.ms);
  }

  /** Index of the last sample at or before t (-1 when t is before the first). */
  private indexAt(t: Ratio): number {
    let lo = 0;
    let hi = this.points.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (compare(this.points[mid]!.ms, t) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Energy delivered up to instant t (Wh, since the first sample; exact, linear between samples). */
  deliveredAt(t: Ratio): Ratio {
    const k = this.indexAt(t);
    if (k < 0) return ZERO;
    const a = this.points[k]!;
    const b = this.points[k + 1];
    if (!b) return a.delivered;
    return add(a.delivered, mulDiv(sub(b.delivered, a.delivered), sub(t, a.ms), sub(b.ms, a.ms)));
  }

  /** The first instant at which the delivered energy reaches `target` Wh, if it ever does. */
  instantReaching(target: Ratio): Ratio | undefined {
    for (let k = 0; k + 1 < this.points.length; k++) {
      const a = this.points[k]!;
      const b = this.points[k + 1]!;
      if (compare(a.delivered, target) >= 0) return a.ms;
      if (compare(b.delivered, target) >= 0) return add(a.ms, mulDiv(sub(target, a.delivered), sub(b.ms, a.ms), sub(b.delivered, a.delivered)));
    }
    const last = this.points[this.points.length - 1];
    return last && compare(last.delivered, target) >= 0 ? last.ms : undefined;
  }

  private averagePowerW(k: number): Ratio | undefined {
    const a = this.points[k];
    const b = this.points[k + 1];
    if (!a || !b) return undefined;
    return div(sub(b.delivered, a.delivered), div(sub(b.ms, a.ms), MS_PER_HOUR));
  }

  private stateOfInterval(k: number): IntervalState {
    if (this.points.length === 0) return { charging: true };
    if (k < 0) {
      const first = this.points[0]!.sample;
      return { charging: first.charging ?? true, powerW: first.charging === false ? ZERO : undefined };
    }
    const point = this.points[k]!;
    const s = point.sample;
    const next = this.points[k + 1];
    let charging: boolean;
    let power: Ratio | undefined;
    if (next) {
      charging = s.charging ?? gt(next.delivered, point.delivered);
      power = this.averagePowerW(k);
    } else {
      const before = k > 0 ? this.stateOfInterval(k - 1) : undefined;
      charging = s.charging ?? before?.charging ?? true;
      power = charging ? before?.powerW : ZERO;
    }
    const state: IntervalState = { charging };
    const reportedPower = s.powerW !== undefined ? dec(s.powerW) : power;
    if (reportedPower !== undefined) state.powerW = reportedPower;
    if (s.currentA !== undefined) state.currentA = dec(s.currentA);
    return state;
  }

  /** The state that holds from instant t until the next sample. */
  stateAt(t: Ratio): IntervalState {
    return this.stateOfInterval(this.indexAt(t));
  }
}

/** Seconds between two instants given in ms. */
export function secondsBetween(fromMs: Ratio, toMs: Ratio): Ratio {
  return div(sub(toMs, fromMs), ratio(BigInt(1000)));
}

/** An instant in ms plus seconds. */
export function plusSeconds(ms: Ratio, seconds: number): Ratio {
  return add(ms, mul(ratio(BigInt(seconds)), ratio(BigInt(1000))));
}
