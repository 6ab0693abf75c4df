/**
 * Local time for the cost engine (core): the site's wall clock at an instant, the instants at
 * which that clock shows a given time of day, and the instants of its offset changes (DST).
 *
 * Uses only `Intl.DateTimeFormat` (a JavaScript built-in, with the IANA zone database of the
 * runtime). An unknown zone name makes it throw a RangeError: a site's zone is checked when it
 * is configured, not guessed here.
 *
 * Times of day are compared on the wall clock: on a fall-back night the hour 02:00-03:00 happens
 * twice and a restriction "02:00-03:00" applies both times; on a spring-forward night a boundary
 * inside the skipped hour (e.g. 02:30) takes effect at the jump, the first instant the wall clock
 * is past it.
 */
import type { DayOfWeek } from './tariff.ts';

export interface LocalTime {
  /** Local calendar date, "YYYY-MM-DD". */
  date: string;
  /** Whole seconds since local midnight (wall clock). */
  secondOfDay: number;
  weekday: DayOfWeek;
  /** Local minus UTC, in minutes (Europe/Amsterdam: 60 in winter, 120 in summer). */
  offsetMinutes: number;
  /** "YYYY-MM-DDTHH:MM:SS" on the wall clock. */
  wall: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock read through Intl (slow: used to learn offsets, see `offsetAt`). */
function intlLocalTime(whole: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(whole))) parts[p.type] = p.value;
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - whole) / 60_000);
}

/**
 * Offsets per zone and UTC hour, learnt once: an hour whose start and end have the same offset
 * has it throughout (no zone changes its offset twice within an hour). Bounded, and only a cache.
 */
const hourOffsets = new Map<string, Map<number, number | null>>();
const HOURS_KEPT = 50_000;

function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  let zone = hourOffsets.get(timeZone);
  if (!zone) hourOffsets.set(timeZone, (zone = new Map()));
  const hour = Math.floor(whole / HOUR_MS);
  let known = zone.get(hour);
  if (known === undefined) {
    if (zone.size >= HOURS_KEPT) zone.clear();
    const atStart = intlLocalTime(hour * HOUR_MS, timeZone);
    known = atStart === intlLocalTime((hour + 1) * HOUR_MS, timeZone) ? atStart : null;
    zone.set(hour, known);
  }
  return known ?? intlLocalTime(whole, timeZone);
}

const WEEKDAY_BY_UTC_DAY: readonly DayOfWeek[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/** The wall clock of `timeZone` at the instant `ms` (milliseconds since the epoch; fractions are floored). */
export function localTime(ms: number, timeZone: string): LocalTime {
  const whole = Math.floor(ms / 1000) * 1000;
  const offsetMinutes = offsetAt(whole, timeZone);
  const wall = new Date(whole + offsetMinutes * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = wall.getUTCHours();
  const mi = wall.getUTCMinutes();
  const s = wall.getUTCSeconds();
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  return {
    date,
    secondOfDay: h * 3600 + mi * 60 + s,
    weekday: WEEKDAY_BY_UTC_DAY[wall.getUTCDay()]!,
    offsetMinutes,
    wall: `${date}T${pad(h)}:${pad(mi)}:${pad(s)}`,
  };
}

/** Instants in (from, to) at which the zone's offset changes (to the second), ascending. */
export function offsetChanges(fromMs: number, toMs: number, timeZone: string): number[] {
  const changes: number[] = [];
  let t = fromMs;
  let offset = offsetAt(t, timeZone);
  while (t < toMs) {
    const next = Math.min(t + HOUR_MS, toMs);
    const nextOffset = offsetAt(next, timeZone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (mid <= lo) break;
        if (offsetAt(mid, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      hi = Math.ceil(hi / 1000) * 1000;
      if (hi > fromMs && hi < toMs) changes.push(hi);
      offset = nextOffset;
    }
    t = next;
  }
  return changes;
}

/**
 * Instants in (from, to) at which the wall clock of `timeZone` reads exactly one of
 * `secondsOfDay` (0 = local midnight), ascending. A time the clock skips (spring forward) has
 * no instant; `offsetChanges` supplies the jump itself.
 */
export function wallClockInstants(fromMs: number, toMs: number, timeZone: string, secondsOfDay: readonly number[]): number[] {
  if (!(toMs > fromMs) || secondsOfDay.length === 0) return [];
  const offsets = new Set<number>([offsetAt(fromMs, timeZone), offsetAt(toMs, timeZone)]);
  for (const change of offsetChanges(fromMs, toMs, timeZone)) offsets.add(offsetAt(change, timeZone));
  const first = localTime(fromMs, timeZone).date;
  const last = localTime(toMs, timeZone).date;
  const dayMs = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const found = new Set<number>();
  for (let day = dayMs(first) - DAY_MS; day <= dayMs(last) + DAY_MS; day += DAY_MS) {
    for (const second of secondsOfDay) {
      for (const offset of offsets) {
        const instant = day + second * 1000 - offset * 60_000;
        if (instant <= fromMs || instant >= toMs) continue;
        const local = localTime(instant, timeZone);
        if (local.secondOfDay === second % 86_400 && local.offsetMinutes === offset) found.add(instant);
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}
