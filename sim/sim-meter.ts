/**
 * The energy meter of one connector and the MeterValue shapes it produces.
 * 1.6 §7.43 SampledValue carries `value` as a string with `unit`; 2.0.1 SampledValueType carries a
 * number with `unitOfMeasure` (2.0.1 Part 2 §2.48 / §2.62). Currents assume a three-phase 230 V supply.
 */
import { isV16, type SimOcppVersion, type SimPayload } from './sim-types.ts';

/** ReadingContext (1.6 §7.33, 2.0.1 ReadingContextEnumType). */
export type SimReadingContext = 'Transaction.Begin' | 'Transaction.End' | 'Sample.Periodic' | 'Trigger';

const PHASE_VOLTAGE = 230;
const PHASES = ['L1', 'L2', 'L3'] as const;

export class SimMeter {
  /** Import register in Wh; fractional internally so short ticks do not lose energy to rounding. */
  private wh: number;
  /** Power of the last tick in W (0 before any). */
  powerW = 0;

  constructor(startWh = 0) {
    if (!(startWh >= 0)) throw new RangeError(`meter start must be >= 0 Wh, got ${startWh}`);
    this.wh = startWh;
  }

  /** Register value as reported: whole Wh (1.6 meterStart/meterStop are integers). */
  get registerWh(): number {
    return Math.round(this.wh);
  }

  set(wh: number): void {
    if (!(wh >= 0)) throw new RangeError(`meter value must be >= 0 Wh, got ${wh}`);
    this.wh = wh;
  }

  /** Charge at powerW for `seconds`: the register grows by powerW * seconds / 3600 Wh. */
  advance(powerW: number, seconds: number): void {
    if (!(powerW >= 0) || !(seconds >= 0)) throw new RangeError(`powerW and seconds must be >= 0`);
    this.powerW = powerW;
    this.wh += (powerW * seconds) / 3600;
  }

  /** One MeterValue of this meter now; see meterValueOf(). */
  meterValue(version: SimOcppVersion, context: SimReadingContext, full: boolean, timestamp = new Date().toISOString()): SimPayload {
    return meterValueOf(version, { wh: this.registerWh, powerW: this.powerW }, context, full, timestamp);
  }
}

/**
 * One MeterValue {timestamp, sampledValue[]} in the station's dialect. With `full`, power and per-phase
 * currents follow the energy register (what a periodic sample carries); otherwise only the register.
 */
export function meterValueOf(
  version: SimOcppVersion,
  reading: { wh: number; powerW: number },
  context: SimReadingContext,
  full: boolean,
  timestamp: string,
): SimPayload {
  const amps = Math.round((reading.powerW / (PHASES.length * PHASE_VOLTAGE)) * 10) / 10;
  const samples: Array<{ value: number; measurand: string; unit: string; phase?: string }> = [
    { value: Math.round(reading.wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
  ];
  if (full) {
    samples.push({ value: Math.round(reading.powerW), measurand: 'Power.Active.Import', unit: 'W' });
    for (const phase of PHASES) samples.push({ value: amps, measurand: 'Current.Import', unit: 'A', phase });
  }
  const sampledValue = samples.map((s) => (isV16(version)
    ? { value: String(s.value), context, measurand: s.measurand, unit: s.unit, ...(s.phase ? { phase: s.phase } : {}) }
    : { value: s.value, context, measurand: s.measurand, unitOfMeasure: { unit: s.unit }, ...(s.phase ? { phase: s.phase } : {}) }));
  return { timestamp, sampledValue };
}
