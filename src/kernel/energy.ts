/**
 * Energy quantities without binary floating-point noise.
 *
 * The CSMS keeps energy in Wh as a JavaScript number, but every value is
 * quantised to whole milli-watt-hours when it enters (`quantiseWh`) and every
 * difference or sum is taken on integer mWh (`differenceWh`, `sumWh`). An
 * integer mWh count divided by 1000 is the double nearest to the decimal
 * value, which prints as that decimal: 4200.7 - 3700 is 500.7 here, not
 * 500.6999999999998. Finer digits than 1 mWh (a register in Wh with four
 * decimals or more) are rounded away; no meter in the field resolves them.
 *
 * Precision: a reading is only as exact as the digits it was written with.
 * 1.6 StopTransaction.meterStop is an integer number of Wh; a sampled value
 * "4.2007" kWh resolves 0.1 Wh; a 2.x value 42 with multiplier 2 resolves
 * 100 Wh. `resolutionWh` is that last-digit step, in Wh.
 */

const MILLI = 1000;

/** Whole mWh of a Wh value. */
export function toMilliWh(wh: number): number {
  return Math.round(wh * MILLI);
}

/** The Wh value of a whole number of mWh (the nearest double to the decimal). */
export function fromMilliWh(mwh: number): number {
  return mwh / MILLI;
}

/** A Wh value rounded to whole mWh. */
export function quantiseWh(wh: number): number {
  return fromMilliWh(toMilliWh(wh));
}

/** a - b in Wh, computed on whole mWh. */
export function differenceWh(a: number, b: number): number {
  return fromMilliWh(toMilliWh(a) - toMilliWh(b));
}

/** The sum of Wh values, computed on whole mWh. */
export function sumWh(values: Iterable<number>): number {
  let mwh = 0;
  for (const wh of values) mwh += toMilliWh(wh);
  return fromMilliWh(mwh);
}

/** An energy reading with the step of its last digit (both in Wh). */
export interface Reading {
  wh: number;
  resolutionWh: number;
}

/** A decimal number as text: mantissa (integer digits, fraction digits) and exponent. */
const DECIMAL = /^\s*([+-]?(?:\d+(?:\.(\d*))?|\.(\d+)))(?:[eE]([+-]?\d+))?\s*$/;

/**
 * The decimal `text` times 10^shift, as the double nearest to the exact
 * decimal result ("7.4" kW is 7400 W, not 7400.000000000001). NaN when the
 * text is not a decimal number.
 */
export function shiftDecimal(text: string, shift: number): number {
  const match = DECIMAL.exec(text);
  if (!match) return Number.NaN;
  return Number(`${match[1]}e${Number(match[4] ?? 0) + shift}`);
}

/** Step of one unit in the last written digit of a decimal number's text ("4200.7" -> 0.1, "42" -> 1, "1.5e3" -> 100); 1 when it is not one. */
export function lastDigitStep(text: string): number {
  const match = DECIMAL.exec(text);
  if (!match) return 1;
  const decimals = (match[2] ?? match[3] ?? '').length;
  return Number(`1e${Number(match[4] ?? 0) - decimals}`);
}

/**
 * Resolution in Wh of an energy value written as `text` in `unit` with a
 * 2.x power-of-ten `multiplier`. A number parsed from JSON has lost its
 * trailing zeros ("4200.70" arrives as 4200.7): its shortest text is used,
 * which can only make the step coarser, so the tolerance built from it wider.
 */
export function resolutionWh(text: string, unit: 'Wh' | 'kWh', multiplier = 0): number {
  const scale = unit === 'kWh' ? MILLI : 1;
  // Never finer than the 1 mWh the CSMS keeps.
  return Math.max(quantiseWh(lastDigitStep(text) * 10 ** multiplier * scale), 1 / MILLI);
}

/**
 * True only when `later` is proven below `earlier`: every true value either
 * reading may stand for (rounded, truncated or ceiled to its last digit lies
 * within one step of the written value) is below every one the other may.
 * So a 1.6 stop of 4200 (integer Wh, truncated) after a sample of 4200.7 Wh
 * is not a decrease; 4198 is.
 */
export function provenBelow(later: Reading, earlier: Reading): boolean {
  const gap = toMilliWh(earlier.wh) - toMilliWh(later.wh);
  return gap >= toMilliWh(earlier.resolutionWh) + toMilliWh(later.resolutionWh);
}
