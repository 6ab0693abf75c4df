/**
 * Exact decimal arithmetic for money, on BigInt (core: no decimal package).
 *
 * A value is an exact rational `n / d` (`Ratio`, d > 0, always reduced). Prices,
 * quantities and tax rates are parsed from decimal text without binary floating
 * point ("0.1" is exactly 1/10), and every sum, product and quotient stays exact:
 * € 1.90 per hour for 7 minutes is 133/600, not 0.22166666666666668. Nothing is
 * rounded until a caller asks for an amount in a currency's minor units.
 *
 * Rounding (`roundScaled`): half-up, i.e. a remainder of exactly one half goes
 * away from zero (0.125 -> 0.13, -0.125 -> -0.13: a credit is the mirror image
 * of its charge). The other modes (up = ceiling away from zero, down = toward
 * zero, half-even) exist for callers with other rules; the cost engine uses
 * half-up once, on its final totals (see tariff-cost.ts).
 *
 * Minor units: the ISO 4217 exponent of each currency in `CURRENCY_EXPONENTS`
 * (JPY and KRW 0, BHD KWD OMR JOD TND IQD LYD 3, most others 2). An unknown code
 * has no exponent: callers refuse it rather than guess.
 */

/** An exact rational number n/d, d > 0, gcd(n, d) = 1. */
export interface Ratio {
  readonly n: bigint;
  readonly d: bigint;
}

export type RoundingMode = 'half-up' | 'half-even' | 'up' | 'down';

const ZERO_N = BigInt(0);
const ONE_N = BigInt(1);
const TWO_N = BigInt(2);
const TEN_N = BigInt(10);

function abs(x: bigint): bigint {
  return x < ZERO_N ? -x : x;
}

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== ZERO_N) [a, b] = [b, a % b];
  return a;
}

const POWERS: bigint[] = [];
function pow10(k: number): bigint {
  if (k < 40) return (POWERS[k] ??= TEN_N ** BigInt(k));
  return TEN_N ** BigInt(k);
}

/** n/d reduced, with a positive denominator. Throws on a zero denominator. */
export function ratio(n: bigint, d: bigint = ONE_N): Ratio {
  if (d === ZERO_N) throw new RangeError('division by zero');
  if (d === ONE_N) return { n, d };
  if (d < ZERO_N) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > ONE_N ? { n: n / g, d: d / g } : { n, d };
}

export const ZERO: Ratio = ratio(ZERO_N);
export const ONE: Ratio = ratio(ONE_N);

/** An integer (number or bigint) as a ratio. */
export function integer(value: number | bigint): Ratio {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  return ratio(BigInt(value));
}

const DECIMAL = /^([+-])?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact value of decimal text ("0.25", "-3", "1.5e3", ".5"), or undefined when it is
 * not one. A JavaScript number is read through its shortest text (0.1 -> "0.1"), which is
 * the decimal its author wrote in JSON.
 */
export function parseDecimal(value: string | number): Ratio | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === undefined && !match[3])) return undefined;
  const [, sign, whole = '', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return undefined;
  let n = BigInt(whole + fraction || '0');
  if (sign === '-') n = -n;
  const shift = exponent - fraction.length;
  return shift >= 0 ? ratio(n * pow10(shift)) : ratio(n, pow10(-shift));
}

/** parseDecimal that throws a RangeError naming the text. */
export function dec(value: string | number): Ratio {
  const parsed = parseDecimal(value);
  if (!parsed) throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
  return parsed;
}

export function add(a: Ratio, b: Ratio): Ratio {
  return a.d === b.d ? ratio(a.n + b.n, a.d) : ratio(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Ratio, b: Ratio): Ratio {
  return add(a, neg(b));
}

export function neg(a: Ratio): Ratio {
  return { n: -a.n, d: a.d };
}

export function mul(a: Ratio, b: Ratio): Ratio {
  return ratio(a.n * b.n, a.d * b.d);
}

export function div(a: Ratio, b: Ratio): Ratio {
  if (b.n === ZERO_N) throw new RangeError('division by zero');
  return ratio(a.n * b.d, a.d * b.n);
}

/** a * b / c, exact (no intermediate rounding). */
export function mulDiv(a: Ratio, b: Ratio, c: Ratio): Ratio {
  return div(mul(a, b), c);
}

export function sum(values: Iterable<Ratio>): Ratio {
  let total = ZERO;
  for (const v of values) total = add(total, v);
  return total;
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compare(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const left = a.n * b.d;
  const right = b.n * a.d;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function eq(a: Ratio, b: Ratio): boolean {
  return compare(a, b) === 0;
}
export function lt(a: Ratio, b: Ratio): boolean {
  return compare(a, b) < 0;
}
export function lte(a: Ratio, b: Ratio): boolean {
  return compare(a, b) <= 0;
}
export function gt(a: Ratio, b: Ratio): boolean {
  return compare(a, b) > 0;
}
export function gte(a: Ratio, b: Ratio): boolean {
  return compare(a, b) >= 0;
}
export function min(a: Ratio, b: Ratio): Ratio {
  return lte(a, b) ? a : b;
}
export function max(a: Ratio, b: Ratio): Ratio {
  return gte(a, b) ? a : b;
}
export function isZero(a: Ratio): boolean {
  return a.n === ZERO_N;
}
export function sign(a: Ratio): -1 | 0 | 1 {
  return a.n < ZERO_N ? -1 : a.n > ZERO_N ? 1 : 0;
}

/** Integer division rounded by `mode` (a half goes away from zero under half-up). */
function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const q = n / d; // truncates toward zero
  const r = n % d;
  if (r === ZERO_N) return q;
  const away = n < ZERO_N ? q - ONE_N : q + ONE_N;
  if (mode === 'down') return q;
  if (mode === 'up') return away;
  const twice = abs(r) * TWO_N;
  if (twice > d) return away;
  if (twice < d) return q;
  if (mode === 'half-up') return away;
  return q % TWO_N === ZERO_N ? q : away; // half-even
}

/** The value in units of 10^-scale (an integer), rounded by `mode` (default half-up). */
export function roundScaled(a: Ratio, scale: number, mode: RoundingMode = 'half-up'): bigint {
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`bad scale ${scale}`);
  return divRound(a.n * pow10(scale), a.d, mode);
}

/** The value rounded to `scale` decimals, as a ratio. */
export function round(a: Ratio, scale: number, mode: RoundingMode = 'half-up'): Ratio {
  return ratio(roundScaled(a, scale, mode), pow10(scale));
}

/** The smallest multiple of `step` that is >= a (a step <= 0 leaves a unchanged). */
export function ceilToMultiple(a: Ratio, step: Ratio): Ratio {
  if (sign(step) <= 0) return a;
  const q = div(a, step);
  let whole = q.n / q.d;
  if (whole * q.d < q.n) whole += ONE_N; // ceiling for positive and negative q
  return mul(ratio(whole), step);
}

function formatScaled(units: bigint, scale: number): string {
  const negative = units < ZERO_N;
  const digits = abs(units).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${body}` : body;
}

/** Decimal text with exactly `scale` decimals, rounded by `mode` ("5.6375", 2 -> "5.64"). */
export function toFixed(a: Ratio, scale: number, mode: RoundingMode = 'half-up'): string {
  return formatScaled(roundScaled(a, scale, mode), scale);
}

/** True when a has a finite decimal expansion (its denominator is 2^i * 5^j). */
export function isTerminating(a: Ratio): boolean {
  let d = a.d;
  const FIVE = BigInt(5);
  while (d % TWO_N === ZERO_N) d /= TWO_N;
  while (d % FIVE === ZERO_N) d /= FIVE;
  return d === ONE_N;
}

/**
 * Shortest decimal text of a: exact when it terminates within `maxScale` decimals
 * ("0.125"), otherwise rounded half-up to `maxScale` decimals with trailing zeros trimmed.
 */
export function toDecimalString(a: Ratio, maxScale = 12): string {
  const text = toFixed(a, maxScale);
  if (!text.includes('.')) return text;
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/** A bigint that fits in a safe JavaScript integer, as a number. */
export function toSafeNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${value} is beyond a safe integer`);
  return n;
}

/** A ratio as the nearest double (for display or thresholds only, never for money). */
export function toNumber(a: Ratio): number {
  return Number(toDecimalString(a, 17));
}

/**
 * ISO 4217 minor-unit exponents of the currencies the CSMS prices in. Absent = unknown.
 * Source: the ISO 4217 list of currency codes (exponent column).
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  // 2 decimals
  EUR: 2, USD: 2, GBP: 2, CHF: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2, HUF: 2, RON: 2, BGN: 2,
  HRK: 2, RSD: 2, BAM: 2, MKD: 2, ALL: 2, MDL: 2, UAH: 2, GEL: 2, AMD: 2, AZN: 2, TRY: 2, ILS: 2,
  CAD: 2, AUD: 2, NZD: 2, MXN: 2, BRL: 2, ARS: 2, COP: 2, PEN: 2, CNY: 2, HKD: 2, TWD: 2, SGD: 2,
  MYR: 2, THB: 2, PHP: 2, IDR: 2, INR: 2, PKR: 2, LKR: 2, BDT: 2, ZAR: 2, EGP: 2, MAD: 2, NGN: 2,
  KES: 2, AED: 2, SAR: 2, QAR: 2, KZT: 2, RUB: 2, BYN: 2,
  // 0 decimals
  JPY: 0, KRW: 0, ISK: 0, CLP: 0, VND: 0, PYG: 0, UGX: 0, RWF: 0, XAF: 0, XOF: 0, XPF: 0, BIF: 0,
  DJF: 0, GNF: 0, KMF: 0, VUV: 0, UYI: 0,
  // 3 decimals
  BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3, IQD: 3, LYD: 3,
  // 4 decimals
  CLF: 4, UYW: 4,
});

/** The ISO 4217 exponent of a currency (EUR 2, JPY 0, KWD 3), or undefined when unknown. */
export function currencyExponent(currency: string): number | undefined {
  return Object.hasOwn(CURRENCY_EXPONENTS, currency) ? CURRENCY_EXPONENTS[currency] : undefined;
}

function exponentOf(currency: string): number {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new RangeError(`unknown currency ${currency}`);
  return exponent;
}

/** An amount in whole minor units of the currency (cents, yen, fils), rounded by `mode` (half-up). */
export function toMinorUnits(amount: Ratio, currency: string, mode: RoundingMode = 'half-up'): number {
  return toSafeNumber(roundScaled(amount, exponentOf(currency), mode));
}

/** An amount rounded to the currency's minor units, as decimal text with exactly that many decimals. */
export function formatMoney(amount: Ratio, currency: string, mode: RoundingMode = 'half-up'): string {
  return toFixed(amount, exponentOf(currency), mode);
}

/** Whole minor units back to an exact amount (1234 EUR cents -> 12.34). */
export function fromMinorUnits(units: number | bigint, currency: string): Ratio {
  return ratio(BigInt(units), pow10(exponentOf(currency)));
}
