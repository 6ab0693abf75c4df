/**
 * The energy meter of one connector and the MeterValue shapes it produces.
 * 1.6 §7.43 SampledValue carries `value` as a string with `unit`; 2.0.1 SampledValueType carries a
 * number with `unitOfMeasure` (2.0.1 Part 2 §2.48 / §2.62). Currents assume a three-phase 230 V supply.
 */
import { isV16, type SimMeterHabits, type SimOcppVersion, type SimPayload } from './sim-types.ts';

export type { SimMeterHabits };

export const DEFAULT_METER_HABITS: Readonly<SimMeterHabits> = { energyUnit: 'Wh', decimals: 0, stopDecimals: null, multiplier: 0, rounding: 'round' };

/** `value` with `decimals` decimals, rounded or truncated (a tiny epsilon keeps 4200.7 * 10 from truncating to 42006). */
function dropDigits(value: number, decimals: number, rounding: SimMeterHabits['rounding']): number {
  const factor = 10 ** decimals;
  const scaled = rounding === 'truncate' ? Math.floor(value * factor + 1e-9) : Math.round(value * factor);
  return Number((scaled / factor).toFixed(Math.max(decimals, 0)));
}

/** ReadingContext (1.6 §7.33, 2.0.1 ReadingContextEnumType). */
export type SimReadingContext = 'Transaction.Begin' | 'Transaction.End' | 'Sample.Periodic' | 'Trigger';

const PHASE_VOLTAGE = 230;
const PHASES = ['L1', 'L2', 'L3'] as const;

export class SimMeter {
  /** Import register in Wh; fractional internally so short ticks do not lose energy to rounding. */
  private wh: number;
  /** Power of the last tick in W (0 before any). */
  powerW = 0;

  /** The station's habits, read at each report (the same object as `station.meterHabits`). */
  private readonly habits: Readonly<SimMeterHabits>;

  constructor(startWh = 0, habits: Readonly<SimMeterHabits> = DEFAULT_METER_HABITS) {
    if (!(startWh >= 0)) throw new RangeError(`meter start must be >= 0 Wh, got ${startWh}`);
    this.wh = startWh;
    this.habits = habits;
  }

  /** Register value as reported in whole Wh (1.6 meterStart/meterStop are integers), rounded or truncated. */
  get registerWh(): number {
    return dropDigits(this.wh, 0, this.habits.rounding);
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

  /** One MeterValue of this meter now, written with the station's habits; see meterValueOf(). */
  meterValue(version: SimOcppVersion, context: SimReadingContext, full: boolean, timestamp = new Date().toISOString()): SimPayload {
    return meterValueOf(version, { wh: this.wh, powerW: this.powerW }, context, full, timestamp, this.habits);
  }
}

/**
 * One MeterValue {timestamp, sampledValue[]} in the station's dialect. With `full`, power and per-phase
 * currents follow the energy register (what a periodic sample carries); otherwise only the register,
 * written in the habits' unit, decimals and (2.x) multiplier.
 */
export function meterValueOf(
  version: SimOcppVersion,
  reading: { wh: number; powerW: number },
  context: SimReadingContext,
  full: boolean,
  timestamp: string,
  habits: Readonly<SimMeterHabits> = DEFAULT_METER_HABITS,
): SimPayload {
  const amps = Math.round((reading.powerW / (PHASES.length * PHASE_VOLTAGE)) * 10) / 10;
  const multiplier = isV16(version) ? 0 : habits.multiplier;
  const decimals = context === 'Transaction.End' ? (habits.stopDecimals ?? habits.decimals) : habits.decimals;
  const inUnit = (habits.energyUnit === 'kWh' ? reading.wh / 1000 : reading.wh) / 10 ** multiplier;
  const energy = { value: dropDigits(inUnit, decimals, habits.rounding), measurand: 'Energy.Active.Import.Register', unit: habits.energyUnit, multiplier };
  const samples: Array<{ value: number; measurand: string; unit: string; phase?: string; multiplier?: number }> = [energy];
  if (full) {
    samples.push({ value: Math.round(reading.powerW), measurand: 'Power.Active.Import', unit: 'W' });
    for (const phase of PHASES) samples.push({ value: amps, measurand: 'Current.Import', unit: 'A', phase });
  }
  const sampledValue = samples.map((s) => (isV16(version)
    ? { value: s === energy ? s.value.toFixed(decimals) : String(s.value), context, measurand: s.measurand, unit: s.unit, ...(s.phase ? { phase: s.phase } : {}) }
    : { value: s.value, context, measurand: s.measurand, unitOfMeasure: { unit: s.unit, ...(s.multiplier ? { multiplier: s.multiplier } : {}) }, ...(s.phase ? { phase: s.phase } : {}) }));
  return { timestamp, sampledValue };
}
