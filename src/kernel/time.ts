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
