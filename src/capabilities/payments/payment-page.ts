/**
 * The pay page's decisions (core): a tariff in plain words, the amounts a driver sees, the short
 * codes printed on stickers, the page's addresses and its Content-Security-Policy.
 *
 * Price lines follow the cost engine's reading of a tariff (OCPI 2.2.1, Tariff object): per
 * dimension the first element whose restrictions hold prices it, so a dimension's lines are that
 * list in order, each later one "otherwise", ending at the first unconditional one; a list that
 * ends conditionally is free at other times. Reservation elements price reservations, not
 * sessions, and are left out. The amount shown per unit is what the driver pays, tax included
 * (price x (1 + vat/100) when tax comes on top), as the engine bills it; min and max bound the
 * session's total.
 */
import { add, currencyExponent, dec, div, formatMoney, fromMinorUnits, isZero, mul, ONE, toDecimalString, type Ratio } from '../../kernel/decimal.ts';
import type { TariffModel } from '../tariffs/index.ts';
import { fillText, PAY_PAGE_TEXT, type PayPageText } from './payment-page-text.ts';

type Dimension = 'FLAT' | 'ENERGY' | 'TIME' | 'PARKING_TIME';
type Component = TariffModel['elements'][number]['priceComponents'][number];
type Restrictions = NonNullable<TariffModel['elements'][number]['restrictions']>;
type Bound = NonNullable<TariffModel['minPrice']>;

/** The order a driver reads a price in: what starting costs, then what the session adds. */
const DIMENSIONS: readonly Dimension[] = ['FLAT', 'ENERGY', 'TIME', 'PARKING_TIME'];
const WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const HUNDRED = dec(100);

export interface PriceLine {
  dimension: Dimension | 'MIN' | 'MAX' | 'FREE';
  /** "Energy" */
  label: string;
  /** "0.484 EUR per kWh" */
  amount: string;
  /** When it applies and how it is taxed and rounded: "otherwise", "Mon–Fri", "08:00–20:00", "incl. 21 % VAT (0.40 EUR + VAT)". */
  details: string[];
  /** The whole line in words, for tests and screen readers. */
  text: string;
}

/** An amount per unit: at least the currency's decimals, more when the price has them (0.363), at most 6. */
export function unitAmount(amount: Ratio, currency: string): string {
  const decimals = currencyExponent(currency) ?? 2;
  const [whole, fraction = ''] = toDecimalString(amount, Math.max(6, decimals)).split('.');
  const digits = fraction.padEnd(decimals, '0');
  return digits ? `${whole}.${digits}` : (whole as string);
}

/** A total in the currency's minor units ("12.35 EUR"). */
export function moneyText(amount: Ratio, currency: string, text: PayPageText = PAY_PAGE_TEXT): string {
  return fillText(text.money, { amount: formatMoney(amount, currency), currency });
}

export function minorText(minor: number, currency: string, text: PayPageText = PAY_PAGE_TEXT): string {
  return moneyText(fromMinorUnits(minor, currency), currency, text);
}

function durationText(seconds: number, text: PayPageText): string {
  if (seconds > 0 && seconds % 3600 === 0) return fillText(text.hours, { n: seconds / 3600 });
  if (seconds > 0 && seconds % 60 === 0) return fillText(text.minutes, { n: seconds / 60 });
  return fillText(text.seconds, { n: seconds });
}

function energyStepText(wh: number, text: PayPageText): string {
  return wh % 1000 === 0 ? fillText(text.kilowattHours, { n: wh / 1000 }) : fillText(text.wattHours, { n: wh });
}

/** Days as a driver reads them: runs of three or more as a range ("Mon–Fri, Sun"); every day is no condition. */
function daysText(days: readonly string[], text: PayPageText): string | null {
  const on = WEEK.map((day) => days.includes(day));
  if (on.every(Boolean) || !on.some(Boolean)) return null;
  const parts: string[] = [];
  for (let i = 0; i < WEEK.length; i++) {
    if (!on[i]) continue;
    let j = i;
    while (j + 1 < WEEK.length && on[j + 1]) j++;
    const name = (k: number) => text.days[k] as string;
    if (j - i >= 2) parts.push(fillText(text.dayRange, { from: name(i), to: name(j) }));
    else for (let k = i; k <= j; k++) parts.push(name(k));
    i = j;
  }
  return parts.join(', ');
}

function range(min: number | undefined, max: number | undefined, below: string, from: string, between: string, show: (n: number) => string | number = (n) => n): string | null {
  if (min !== undefined && max !== undefined) return fillText(between, { min: show(min), max: show(max) });
  if (max !== undefined) return fillText(below, { max: show(max) });
  if (min !== undefined) return fillText(from, { min: show(min) });
  return null;
}

/** When an element applies, in words; empty when it always does. */
export function conditionsOf(r: Restrictions | undefined, text: PayPageText = PAY_PAGE_TEXT): string[] {
  if (!r) return [];
  const out: Array<string | null> = [];
  out.push(r.dayOfWeek ? daysText(r.dayOfWeek, text) : null);
  if (r.startTime !== undefined || r.endTime !== undefined) {
    const from = r.startTime ?? '00:00';
    const to = r.endTime === undefined || r.endTime === '00:00' ? '24:00' : r.endTime;
    // The same start and end is the whole day (the engine reads it so).
    out.push(from === to || (from === '00:00' && to === '24:00') ? null : fillText(text.between, { from, to }));
  }
  out.push(r.startDate !== undefined ? fillText(text.fromDate, { date: r.startDate }) : null);
  out.push(r.endDate !== undefined ? fillText(text.beforeDate, { date: r.endDate }) : null);
  out.push(range(r.minDuration, r.maxDuration, text.durationBelow, text.durationFrom, text.durationBetween, (s) => durationText(s, text)));
  out.push(range(r.minKwh, r.maxKwh, text.kwhBelow, text.kwhFrom, text.kwhBetween));
  out.push(range(r.minPower, r.maxPower, text.powerBelow, text.powerFrom, text.powerBetween));
  out.push(range(r.minCurrent, r.maxCurrent, text.currentBelow, text.currentFrom, text.currentBetween));
  return out.filter((line): line is string => line !== null);
}

/** What the driver pays per unit, and how tax is in it. */
function taxed(tariff: TariffModel, c: Component, text: PayPageText): { amount: Ratio; detail: string | null } {
  const price = dec(c.price);
  if (tariff.taxNotApplicable || (c.vat === undefined && !tariff.taxIncluded)) return { amount: price, detail: null };
  if (c.vat === undefined) return { amount: price, detail: text.taxIncluded };
  const rate = dec(c.vat);
  if (tariff.taxIncluded || isZero(rate)) return { amount: price, detail: fillText(text.vatIncluded, { rate: c.vat }) };
  const gross = mul(price, add(ONE, div(rate, HUNDRED)));
  return { amount: gross, detail: fillText(text.vatAdded, { rate: c.vat, excl: fillText(text.money, { amount: unitAmount(price, tariff.currency), currency: tariff.currency }) }) };
}

function stepOf(c: Component, text: PayPageText): string | null {
  if (c.type === 'FLAT' || c.stepSize <= 1) return null;
  return fillText(text.step, { step: c.type === 'ENERGY' ? energyStepText(c.stepSize, text) : durationText(c.stepSize, text) });
}

function line(dimension: PriceLine['dimension'], label: string, amount: string, details: string[]): PriceLine {
  return { dimension, label, amount, details, text: `${label}${amount ? `: ${amount}` : ''}${details.length > 0 ? ` (${details.join(', ')})` : ''}` };
}

function boundLine(dimension: 'MIN' | 'MAX', bound: Bound, tariff: TariffModel, taxApplies: boolean, text: PayPageText): PriceLine {
  const label = dimension === 'MIN' ? text.minPrice : text.maxPrice;
  if (bound.inclVat !== undefined) return line(dimension, label, moneyText(dec(bound.inclVat), tariff.currency, text), []);
  return line(dimension, label, moneyText(dec(bound.exclVat), tariff.currency, text), taxApplies ? [text.exclVat] : []);
}

/** The tariff in plain words, one line per price that can apply (see the file's comment for the rules). */
export function priceLines(tariff: TariffModel, text: PayPageText = PAY_PAGE_TEXT): PriceLine[] {
  const lines: PriceLine[] = [];
  const sessionElements = tariff.elements.filter((e) => !e.restrictions?.reservation);
  for (const dimension of DIMENSIONS) {
    const label = text.dimension[dimension];
    let conditional = false;
    for (const element of sessionElements) {
      const component = element.priceComponents.find((c) => c.type === dimension);
      if (!component) continue;
      const conditions = conditionsOf(element.restrictions, text);
      const { amount, detail } = taxed(tariff, component, text);
      const price = fillText(text.unit[dimension], { price: fillText(text.money, { amount: unitAmount(amount, tariff.currency), currency: tariff.currency }) });
      const step = stepOf(component, text);
      const details = [...(conditional ? [text.otherwise] : []), ...conditions, ...(detail ? [detail] : []), ...(step ? [step] : [])];
      lines.push(line(dimension, label, price, details));
      conditional = conditions.length > 0;
      if (!conditional) break;
    }
    if (conditional) lines.push(line(dimension, label, text.otherwiseFree, []));
  }
  if (lines.length === 0) lines.push(line('FREE', text.free, '', []));
  const taxApplies = !tariff.taxNotApplicable && (tariff.taxIncluded === true || sessionElements.some((e) => e.priceComponents.some((c) => c.vat !== undefined)));
  if (tariff.minPrice) lines.push(boundLine('MIN', tariff.minPrice, tariff, taxApplies, text));
  if (tariff.maxPrice) lines.push(boundLine('MAX', tariff.maxPrice, tariff, taxApplies, text));
  return lines;
}

/** The tariff's own words for drivers, when it has some: English first, else the first given. */
export function tariffNote(tariff: TariffModel): string | null {
  const texts = tariff.altText ?? [];
  return (texts.find((t) => t.language.toLowerCase().startsWith('en')) ?? texts[0])?.text ?? null;
}

/** An EVSE's state for the page: available when any connector is, else its first connector's. */
export function evseStatusOf(connectors: ReadonlyArray<{ status: string }>): string | null {
  if (connectors.some((c) => c.status === 'Available')) return 'Available';
  return connectors[0]?.status ?? null;
}

// --- Short codes -------------------------------------------------------------------------------

/** Crockford's base 32: no I, L, O, U, so a code read off a sticker and typed is hard to get wrong. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SHORT_CODE_LENGTH = 8;

/** A short code from 5 random bytes (40 bits: 8 characters of base 32). */
export function shortCodeFrom(bytes: ArrayLike<number>): string {
  if (bytes.length < 5) throw new RangeError('a short code needs 5 random bytes');
  let bits = 0;
  for (let i = 0; i < 5; i++) bits = bits * 256 + (bytes[i] as number);
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i++) {
    code = CODE_ALPHABET[bits % 32] + code;
    bits = Math.floor(bits / 32);
  }
  return code;
}

/** A code as typed ("ab7k-2m9q", with O for 0, I or L for 1) in its stored form, or null when it cannot be one. */
export function normaliseShortCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== SHORT_CODE_LENGTH) return null;
  return [...code].every((ch) => CODE_ALPHABET.includes(ch)) ? code : null;
}

// --- Addresses ---------------------------------------------------------------------------------

export function payPagePath(stationId: string, evseId: number): string {
  return `/pay/${encodeURIComponent(stationId)}/${evseId}`;
}

export function shortPath(code: string): string {
  return `/p/${code}`;
}

/** Where drivers reach this CSMS: the configured public URL, else the host name and port it announces. */
export function publicBase(publicUrl: string | undefined, publicHost: string, port: number): string {
  return (publicUrl ?? `http://${publicHost}:${port}`).replace(/\/+$/, '');
}

// --- The gateway as the browser sees it --------------------------------------------------------

export type BrowserTokenisation = 'raw' | 'stripe-js';

export interface BrowserGateway {
  mode: BrowserTokenisation;
  /** Where `raw` posts the card (POST {url}/v1/payment_methods). */
  url: string;
  publishableKey: string;
}

const STRIPE_API = 'https://api.stripe.com';

/**
 * How the page tokenises a card. `raw` posts the card to the gateway's API with the publishable
 * key (the project's fake accepts it; Stripe accepts raw card data only from accounts allowed to
 * send it), `stripe-js` uses Stripe.js Elements. Without a publishable key there is no page form.
 */
export function browserGateway(stripe: { apiUrl?: string; publishableKey?: string; browserTokenisation?: BrowserTokenisation }): BrowserGateway | null {
  if (!stripe.publishableKey) return null;
  return {
    mode: stripe.browserTokenisation ?? (stripe.apiUrl ? 'raw' : 'stripe-js'),
    url: (stripe.apiUrl ?? STRIPE_API).replace(/\/+$/, ''),
    publishableKey: stripe.publishableKey,
  };
}

/** Stripe.js and Elements need these origins (Stripe's published CSP requirements). */
const STRIPE_JS = { script: 'https://js.stripe.com https://*.js.stripe.com', frame: 'https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com', connect: STRIPE_API };

/**
 * The page's Content-Security-Policy: its own script and style only (no inline code), requests
 * to itself and to the gateway only, no form may be submitted anywhere (card fields are sent by
 * the script to the gateway, never by the browser to us), and no framing.
 */
export function payPageCsp(gateway: BrowserGateway | null): string {
  const connect = ["'self'"];
  const script = ["'self'"];
  const frame: string[] = [];
  if (gateway?.mode === 'raw') connect.push(new URL(gateway.url).origin);
  if (gateway?.mode === 'stripe-js') {
    script.push(STRIPE_JS.script);
    frame.push(STRIPE_JS.frame);
    connect.push(STRIPE_JS.connect);
  }
  return [
    "default-src 'none'",
    `script-src ${script.join(' ')}`,
    "style-src 'self'",
    "img-src 'self'",
    `connect-src ${connect.join(' ')}`,
    ...(frame.length > 0 ? [`frame-src ${frame.join(' ')}`] : []),
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
