/** Time is passed into core decisions, never read by them. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function toIso(date: Date): string {
  return date.toISOString();
}

/** Earliest and latest instants the CSMS stores (PostgreSQL timestamptz handles far more; these are sane bounds). */
const EARLIEST_MS = Date.UTC(1970, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31);

/**
 * A timestamp reported by a station, or `fallback` (usually the reception
 * time) when it is missing, unparseable (e.g. a leap second "23:59:60Z",
 * which the schemas allow but Date cannot represent) or out of range.
 * Never reject the message for a bad clock: the event itself must be kept.
 */
export function stationTime(value: string | undefined, fallback: Date): Date {
  if (!value) return fallback;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= LATEST_MS ? new Date(ms) : fallback;
}

/** A scheduled callback; `unref` lets the process exit while it is pending (Node's Timeout has it). */
export interface TimerHandle {
  unref(): unknown;
}

/**
 * Timers are passed in like the clock, so a test can drive a service's periodic work with a fake
 * clock instead of sleeping. Transport timers (OCPP call timeouts, WebSocket pings) and the
 * cluster's heartbeats stay on the system timers: they measure the network, not the domain.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | null | undefined): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | null | undefined): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as Parameters<typeof clearInterval>[0]),
};

/** What a process reads time from: the wall clock and the timers that go with it. */
export interface TimeSource {
  clock: Clock;
  timers: Timers;
}

export const systemTime: TimeSource = { clock: systemClock, timers: systemTimers };
