/**
 * What a transaction consumed, as the cost engine reads it (core). The transaction's stored meter
 * samples (energy in Wh, power in W, current in A, per phase or total) become one engine sample per
 * instant: the energy register (the total, not a phase), the active power, and the current summed
 * over phases. The start reading is added at the start and, once the session is closed, the stop
 * reading at the end, so a session without meter values in between is still priced on its energy.
 */
import type { MeterSample as EngineSample, SessionUsage } from '../tariffs/index.ts';

/** One stored sample (the transactions capability's MeterSample, the fields pricing reads). */
export interface StoredSample {
  at: Date;
  measurand: string;
  phase: string | null;
  value: number;
}

export interface SessionFacts {
  timeZone: string;
  startedAt: Date;
  /** The stop, or now for an open session. */
  endsAt: Date;
  startWh: number | null;
  /** The stop reading, for a closed session whose stop is not proven below its start. */
  stopWh: number | null;
  samples: readonly StoredSample[];
}

const ENERGY = 'Energy.Active.Import.Register';
const POWER = 'Power.Active.Import';
const CURRENT = 'Current.Import';
const isTotal = (phase: string | null) => phase === null || phase === 'N';

interface Instant {
  energyWh?: number;
  powerW?: number;
  currentTotal?: number;
  currentPhases?: number;
}

/** The engine's usage of one session, samples outside [start, end] left out. */
export function usageOf(facts: SessionFacts): SessionUsage {
  const startMs = facts.startedAt.getTime();
  // A stop stamped at the start's instant (a clock's second, a station that never set its time) still
  // delivered its energy: give it one millisecond, or its reading would overwrite the start's.
  const delivered = facts.stopWh !== null && facts.startWh !== null && facts.stopWh !== facts.startWh;
  const endMs = Math.max(facts.endsAt.getTime(), delivered ? startMs + 1 : startMs);
  const byInstant = new Map<number, Instant>();
  const at = (ms: number) => byInstant.get(ms) ?? byInstant.set(ms, {}).get(ms)!;
  for (const sample of facts.samples) {
    const ms = sample.at.getTime();
    if (ms < startMs || ms > endMs) continue;
    if (sample.measurand === ENERGY && isTotal(sample.phase)) at(ms).energyWh = sample.value;
    else if (sample.measurand === POWER && isTotal(sample.phase)) at(ms).powerW = sample.value;
    else if (sample.measurand === CURRENT) {
      const instant = at(ms);
      if (sample.phase === null) instant.currentTotal = sample.value;
      else if (sample.phase !== 'N') instant.currentPhases = (instant.currentPhases ?? 0) + sample.value;
    }
  }
  if (facts.startWh !== null && byInstant.get(startMs)?.energyWh === undefined) at(startMs).energyWh = facts.startWh;
  if (facts.stopWh !== null) at(endMs).energyWh = facts.stopWh;
  const samples: EngineSample[] = [];
  for (const [ms, instant] of [...byInstant.entries()].sort((a, b) => a[0] - b[0])) {
    // An instant without an energy reading is left out: repeating the last register there would
    // read as an interval that delivered nothing (parking) before the next reading catches up.
    const energyWh = instant.energyWh;
    if (energyWh === undefined) continue;
    const currentA = instant.currentTotal ?? instant.currentPhases;
    samples.push({ at: ms, energyWh, ...(instant.powerW !== undefined ? { powerW: instant.powerW } : {}), ...(currentA !== undefined ? { currentA } : {}) });
  }
  return { timeZone: facts.timeZone, start: startMs, end: endMs, samples };
}
