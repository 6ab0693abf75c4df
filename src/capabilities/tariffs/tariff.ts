/**
 * The canonical tariff (core): one model that carries OCPI 2.2.1 and 2.3.0 tariffs without
 * loss, the checker that admits it (every problem named with a JSON pointer), and the
 * conversions from and to the OCPI wire shapes.
 *
 * Semantics follow OCPI 2.2.1, module Tariffs (Tariff object, TariffElement, PriceComponent,
 * TariffRestrictions) and its 2.3.0 changes:
 * - a price component prices one dimension: ENERGY per kWh (step size in Wh), TIME per hour of
 *   charging and PARKING_TIME per hour not charging (step size in seconds), FLAT once;
 * - `price` is per unit, excluding tax unless `taxIncluded` (2.3.0 `tax_included: YES`);
 *   `vat` is a percentage; omitted = no VAT applies (2.2.1), which is not the same as "0";
 * - restrictions are ANDed and evaluated at each moment of the session (not once per session);
 *   times and dates are local to the site; `endTime` before `startTime` wraps past midnight and
 *   `endTime` "00:00" means the end of the day; `endDate`, `maxKwh`, `maxDuration` are exclusive;
 * - min/max price bound the session's total, excluding and including tax each on its own.
 * Numbers that are money or rates are kept as decimal text (exact); JSON numbers are read
 * through their shortest text, which is the decimal their author wrote.
 */
import { currencyExponent, gt, parseDecimal, sign } from '../../kernel/decimal.ts';

export type TariffDimension = 'ENERGY' | 'TIME' | 'PARKING_TIME' | 'FLAT';
export type DayOfWeek = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
export type ReservationRestriction = 'RESERVATION' | 'RESERVATION_EXPIRES';

export const DIMENSIONS: readonly TariffDimension[] = ['ENERGY', 'TIME', 'PARKING_TIME', 'FLAT'];
export const DAYS_OF_WEEK: readonly DayOfWeek[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

export interface PriceComponent {
  type: TariffDimension;
  /** Price per unit (kWh, hour, or once for FLAT), decimal text; excluding tax unless the tariff's taxIncluded. */
  price: string;
  /** VAT percentage, decimal text ("21"); absent = no VAT applicable. */
  vat?: string;
  /** Billing step: Wh for ENERGY, seconds for TIME/PARKING_TIME; unused for FLAT. */
  stepSize: number;
}

export interface TariffRestrictions {
  startTime?: string; // "HH:MM" local
  endTime?: string; // "HH:MM" local, exclusive; before startTime = wraps; "00:00" = end of day
  startDate?: string; // "YYYY-MM-DD" local, inclusive
  endDate?: string; // "YYYY-MM-DD" local, exclusive
  minKwh?: number;
  maxKwh?: number;
  minCurrent?: number; // A, sum over phases
  maxCurrent?: number;
  minPower?: number; // kW
  maxPower?: number;
  minDuration?: number; // s, inclusive
  maxDuration?: number; // s, exclusive
  dayOfWeek?: DayOfWeek[];
  reservation?: ReservationRestriction;
}

export interface TariffElement {
  priceComponents: PriceComponent[];
  restrictions?: TariffRestrictions;
}

/** A price bound: 2.2.1 Price {excl_vat, incl_vat} and 2.3.0 PriceLimit {before_taxes, after_taxes}. */
export interface Price {
  exclVat: string;
  inclVat?: string;
}

export interface DisplayText {
  language: string;
  text: string;
}

export interface TariffModel {
  currency: string;
  elements: TariffElement[];
  minPrice?: Price;
  maxPrice?: Price;
  /** 2.3.0: prices include tax (YES). Absent or false: tax is added on top (2.2.1 semantics). */
  taxIncluded?: boolean;
  /** 2.3.0 `tax_included: "N/A"`: no tax applies to this tariff. */
  taxNotApplicable?: boolean;
  startDateTime?: string;
  endDateTime?: string;
  // Carried so an OCPI tariff goes back out unchanged:
  id?: string;
  countryCode?: string;
  partyId?: string;
  type?: string;
  altText?: DisplayText[];
  altUrl?: string;
  energyMix?: unknown;
  preauthorizeAmount?: string;
  lastUpdated?: string;
}

export type TariffCheck = { ok: true; tariff: TariffModel } | { ok: false; path: string; problem: string };

class Problem {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {}
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string, allowed: readonly string[]): Obj {
  if (!isObject(value)) throw new Problem(path, 'must be an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new Problem(`${path}/${key}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }
  return value;
}

/** Decimal text of a number or numeric string, >= 0 unless `signed`. */
function decimalText(value: unknown, path: string, what = 'a decimal number'): string {
  if (typeof value !== 'string' && typeof value !== 'number') throw new Problem(path, `must be ${what}`);
  const parsed = parseDecimal(value);
  if (!parsed) throw new Problem(path, `must be ${what}, got ${JSON.stringify(value)}`);
  if (sign(parsed) < 0) throw new Problem(path, 'must not be negative');
  return typeof value === 'number' ? String(value) : value.trim();
}

function nonNegativeNumber(value: unknown, path: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Problem(path, 'must be a number >= 0');
  if (integer && !Number.isInteger(value)) throw new Problem(path, 'must be a whole number');
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Problem(path, 'must be a non-empty string');
  return value;
}

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const DATE = /^([12][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

function timeOfDay(value: unknown, path: string): string {
  if (typeof value !== 'string' || !HHMM.test(value)) throw new Problem(path, 'must be a time of day "HH:MM" (24h, leading zeros)');
  return value;
}

function date(value: unknown, path: string): string {
  if (typeof value !== 'string' || !DATE.test(value)) throw new Problem(path, 'must be a date "YYYY-MM-DD"');
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCDate() !== d) throw new Problem(path, 'is not a calendar date');
  return value;
}

function dateTime(value: unknown, path: string): string {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) throw new Problem(path, 'must be an ISO 8601 date-time');
  return value;
}

function price(value: unknown, path: string): Price {
  const o = object(value, path, ['exclVat', 'inclVat']);
  const result: Price = { exclVat: decimalText(o.exclVat, `${path}/exclVat`) };
  if (o.inclVat !== undefined) result.inclVat = decimalText(o.inclVat, `${path}/inclVat`);
  return result;
}

const COMPONENT_FIELDS = ['type', 'price', 'vat', 'stepSize'] as const;
const RESTRICTION_FIELDS = ['startTime', 'endTime', 'startDate', 'endDate', 'minKwh', 'maxKwh', 'minCurrent', 'maxCurrent', 'minPower', 'maxPower', 'minDuration', 'maxDuration', 'dayOfWeek', 'reservation'] as const;
const TARIFF_FIELDS = ['currency', 'elements', 'minPrice', 'maxPrice', 'taxIncluded', 'taxNotApplicable', 'startDateTime', 'endDateTime', 'id', 'countryCode', 'partyId', 'type', 'altText', 'altUrl', 'energyMix', 'preauthorizeAmount', 'lastUpdated'] as const;

function component(value: unknown, path: string): PriceComponent {
  const o = object(value, path, COMPONENT_FIELDS);
  if (typeof o.type !== 'string' || !(DIMENSIONS as readonly string[]).includes(o.type)) throw new Problem(`${path}/type`, `must be one of ${DIMENSIONS.join(', ')}`);
  const result: PriceComponent = { type: o.type as TariffDimension, price: decimalText(o.price, `${path}/price`), stepSize: 1 };
  if (o.vat !== undefined) {
    result.vat = decimalText(o.vat, `${path}/vat`, 'a percentage');
    if (gt(parseDecimal(result.vat)!, parseDecimal(100)!)) throw new Problem(`${path}/vat`, 'must be a percentage between 0 and 100');
  }
  if (o.stepSize !== undefined) result.stepSize = nonNegativeNumber(o.stepSize, `${path}/stepSize`, true);
  else if (result.type !== 'FLAT') throw new Problem(`${path}/stepSize`, 'is required (1 = bill the exact amount)');
  return result;
}

function restrictions(value: unknown, path: string): TariffRestrictions {
  const o = object(value, path, RESTRICTION_FIELDS);
  const r: TariffRestrictions = {};
  if (o.startTime !== undefined) r.startTime = timeOfDay(o.startTime, `${path}/startTime`);
  if (o.endTime !== undefined) r.endTime = timeOfDay(o.endTime, `${path}/endTime`);
  if (o.startDate !== undefined) r.startDate = date(o.startDate, `${path}/startDate`);
  if (o.endDate !== undefined) r.endDate = date(o.endDate, `${path}/endDate`);
  for (const [low, high, integer] of [['minKwh', 'maxKwh', false], ['minCurrent', 'maxCurrent', false], ['minPower', 'maxPower', false], ['minDuration', 'maxDuration', true]] as const) {
    if (o[low] !== undefined) r[low] = nonNegativeNumber(o[low], `${path}/${low}`, integer);
    if (o[high] !== undefined) r[high] = nonNegativeNumber(o[high], `${path}/${high}`, integer);
    const lo = r[low];
    const hi = r[high];
    if (lo !== undefined && hi !== undefined && lo >= hi) throw new Problem(`${path}/${high}`, `must be greater than ${low} (${lo}): the element could never apply`);
  }
  if (r.startDate && r.endDate && r.startDate >= r.endDate) throw new Problem(`${path}/endDate`, 'must be after startDate (endDate is exclusive)');
  if (o.dayOfWeek !== undefined) {
    if (!Array.isArray(o.dayOfWeek)) throw new Problem(`${path}/dayOfWeek`, 'must be a list of days');
    r.dayOfWeek = o.dayOfWeek.map((day, i) => {
      if (typeof day !== 'string' || !(DAYS_OF_WEEK as readonly string[]).includes(day)) throw new Problem(`${path}/dayOfWeek/${i}`, `must be one of ${DAYS_OF_WEEK.join(', ')}`);
      return day as DayOfWeek;
    });
    const duplicate = r.dayOfWeek.findIndex((day, i) => r.dayOfWeek!.indexOf(day) !== i);
    if (duplicate >= 0) throw new Problem(`${path}/dayOfWeek/${duplicate}`, 'is listed twice');
  }
  if (o.reservation !== undefined) {
    if (o.reservation !== 'RESERVATION' && o.reservation !== 'RESERVATION_EXPIRES') throw new Problem(`${path}/reservation`, 'must be RESERVATION or RESERVATION_EXPIRES');
    r.reservation = o.reservation;
  }
  return r;
}

function element(value: unknown, path: string): TariffElement {
  const o = object(value, path, ['priceComponents', 'restrictions']);
  if (!Array.isArray(o.priceComponents) || o.priceComponents.length === 0) throw new Problem(`${path}/priceComponents`, 'must be a non-empty list');
  const result: TariffElement = { priceComponents: o.priceComponents.map((c, i) => component(c, `${path}/priceComponents/${i}`)) };
  if (o.restrictions !== undefined && o.restrictions !== null) result.restrictions = restrictions(o.restrictions, `${path}/restrictions`);
  const seen = new Set<TariffDimension>();
  result.priceComponents.forEach((c, i) => {
    if (seen.has(c.type)) throw new Problem(`${path}/priceComponents/${i}/type`, `${c.type} is priced twice in one element (only the first could ever apply)`);
    seen.add(c.type);
    if (result.restrictions?.reservation && c.type !== 'FLAT' && c.type !== 'TIME') throw new Problem(`${path}/priceComponents/${i}/type`, 'a reservation element prices only FLAT and TIME');
  });
  return result;
}

function check(input: unknown): TariffModel {
  const o = object(input, '', TARIFF_FIELDS);
  if (typeof o.currency !== 'string' || !/^[A-Z]{3}$/.test(o.currency)) throw new Problem('/currency', 'must be an ISO 4217 code (three capital letters)');
  if (currencyExponent(o.currency) === undefined) throw new Problem('/currency', `${o.currency} has no known minor unit (ISO 4217 exponent)`);
  if (!Array.isArray(o.elements) || o.elements.length === 0) throw new Problem('/elements', 'must be a non-empty list');
  const t: TariffModel = { currency: o.currency, elements: o.elements.map((e, i) => element(e, `/elements/${i}`)) };
  if (o.minPrice !== undefined) t.minPrice = price(o.minPrice, '/minPrice');
  if (o.maxPrice !== undefined) t.maxPrice = price(o.maxPrice, '/maxPrice');
  if (t.minPrice && t.maxPrice && gt(parseDecimal(t.minPrice.exclVat)!, parseDecimal(t.maxPrice.exclVat)!)) throw new Problem('/maxPrice/exclVat', 'must not be below minPrice');
  if (t.minPrice?.inclVat && t.maxPrice?.inclVat && gt(parseDecimal(t.minPrice.inclVat)!, parseDecimal(t.maxPrice.inclVat)!)) throw new Problem('/maxPrice/inclVat', 'must not be below minPrice');
  for (const key of ['taxIncluded', 'taxNotApplicable'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new Problem(`/${key}`, 'must be true or false');
    if (o[key] !== undefined) t[key] = o[key] as boolean;
  }
  if (t.taxIncluded && t.taxNotApplicable) throw new Problem('/taxNotApplicable', 'contradicts taxIncluded');
  if (o.startDateTime !== undefined) t.startDateTime = dateTime(o.startDateTime, '/startDateTime');
  if (o.endDateTime !== undefined) t.endDateTime = dateTime(o.endDateTime, '/endDateTime');
  if (t.startDateTime && t.endDateTime && !(Date.parse(t.startDateTime) < Date.parse(t.endDateTime))) throw new Problem('/endDateTime', 'must be after startDateTime');
  for (const key of ['id', 'countryCode', 'partyId', 'type', 'altUrl'] as const) if (o[key] !== undefined) t[key] = text(o[key], `/${key}`);
  if (o.lastUpdated !== undefined) t.lastUpdated = dateTime(o.lastUpdated, '/lastUpdated');
  if (o.preauthorizeAmount !== undefined) t.preauthorizeAmount = decimalText(o.preauthorizeAmount, '/preauthorizeAmount');
  if (o.energyMix !== undefined) t.energyMix = o.energyMix;
  if (o.altText !== undefined) {
    if (!Array.isArray(o.altText)) throw new Problem('/altText', 'must be a list of { language, text }');
    t.altText = o.altText.map((entry, i) => {
      const d = object(entry, `/altText/${i}`, ['language', 'text']);
      return { language: text(d.language, `/altText/${i}/language`), text: text(d.text, `/altText/${i}/text`) };
    });
  }
  return t;
}

/** Admits a canonical (camelCase) tariff, normalised (numbers as decimal text), or names the first problem. */
export function checkTariff(input: unknown): TariffCheck {
  try {
    return { ok: true, tariff: check(input) };
  } catch (error) {
    if (error instanceof Problem) return { ok: false, path: error.path, problem: error.problem };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// OCPI wire shapes (snake_case). 2.2.1 Price is {excl_vat, incl_vat}; 2.3.0 PriceLimit is
// {before_taxes, after_taxes} and `tax_included` (YES | NO | N/A) is required.

export type OcpiVersion = '2.2.1' | '2.3.0';

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const OCPI_TOP: Record<string, string> = { tariff_alt_text: 'altText', tariff_alt_url: 'altUrl' };
const MODEL_TOP: Record<string, string> = { altText: 'tariff_alt_text', altUrl: 'tariff_alt_url' };
const LIMIT_2_3: Record<string, string> = { exclVat: 'before_taxes', inclVat: 'after_taxes' };

/** The OCPI version of a tariff body: 2.3.0 when it carries tax_included or a PriceLimit. */
export function ocpiVersionOf(body: unknown): OcpiVersion {
  if (!isObject(body)) return '2.2.1';
  const limit = (body.min_price ?? body.max_price) as Obj | undefined;
  return 'tax_included' in body || (isObject(limit) && 'before_taxes' in limit) ? '2.3.0' : '2.2.1';
}

function limitFromOcpi(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) out[key === 'before_taxes' ? 'exclVat' : key === 'after_taxes' ? 'inclVat' : camel(key)] = v;
  return out;
}

function fromOcpiShape(body: Obj): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (key === 'tax_included') {
      if (value === 'YES') out.taxIncluded = true;
      else if (value === 'NO') out.taxIncluded = false;
      else if (value === 'N/A') out.taxNotApplicable = true;
      else out.taxIncluded = value; // the checker names it
    } else if (key === 'min_price' || key === 'max_price') out[camel(key)] = limitFromOcpi(value);
    else if (key === 'elements' && Array.isArray(value)) {
      out.elements = value.map((e) => {
        if (!isObject(e)) return e;
        const element: Obj = {};
        if (e.price_components !== undefined) {
          element.priceComponents = Array.isArray(e.price_components)
            ? e.price_components.map((c) => (isObject(c) ? Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null).map(([k, v]) => [camel(k), v])) : c))
            : e.price_components;
        }
        if (isObject(e.restrictions)) element.restrictions = Object.fromEntries(Object.entries(e.restrictions).filter(([, v]) => v !== null).map(([k, v]) => [camel(k), v]));
        return element;
      });
    } else if (key in OCPI_TOP) out[OCPI_TOP[key]!] = value;
    else if (TARIFF_FIELDS.includes(camel(key) as (typeof TARIFF_FIELDS)[number])) out[camel(key)] = value;
    // other OCPI fields are not part of the canonical tariff and are dropped
  }
  return out;
}

function pathToOcpi(path: string, version: OcpiVersion): string {
  const parts = path.split('/');
  return parts
    .map((part, i) => {
      if (i === 1 && part in MODEL_TOP) return MODEL_TOP[part]!;
      if (part === 'taxNotApplicable') return 'tax_included';
      if (version === '2.3.0' && (parts[i - 1] === 'minPrice' || parts[i - 1] === 'maxPrice') && part in LIMIT_2_3) return LIMIT_2_3[part]!;
      return snake(part);
    })
    .join('/');
}

/** An OCPI 2.2.1 or 2.3.0 tariff body (snake_case) as the canonical tariff, or its first problem with an OCPI path. */
export function fromOcpi(body: unknown): TariffCheck & { version: OcpiVersion } {
  const version = ocpiVersionOf(body);
  if (!isObject(body)) return { ok: false, path: '', problem: 'must be an object', version };
  const result = checkTariff(fromOcpiShape(body));
  return result.ok ? { ...result, version } : { ok: false, path: pathToOcpi(result.path, version), problem: result.problem, version };
}

const num = (text: string): number => Number(text);

/**
 * The canonical tariff as an OCPI tariff body of the given version (numbers as JSON numbers).
 * 2.2.1 has no way to say that prices include tax: a `taxIncluded` tariff written as 2.2.1 keeps
 * its prices as they are, so callers must not send one to a 2.2.1 partner (or convert it first).
 */
export function toOcpi(t: TariffModel, version: OcpiVersion): Obj {
  const out: Obj = {};
  if (t.countryCode !== undefined) out.country_code = t.countryCode;
  if (t.partyId !== undefined) out.party_id = t.partyId;
  if (t.id !== undefined) out.id = t.id;
  out.currency = t.currency;
  if (t.type !== undefined) out.type = t.type;
  if (t.altText !== undefined) out.tariff_alt_text = t.altText.map((d) => ({ ...d }));
  if (t.altUrl !== undefined) out.tariff_alt_url = t.altUrl;
  const limit = (p: Price): Obj =>
    version === '2.3.0'
      ? { before_taxes: num(p.exclVat), ...(p.inclVat !== undefined ? { after_taxes: num(p.inclVat) } : {}) }
      : { excl_vat: num(p.exclVat), ...(p.inclVat !== undefined ? { incl_vat: num(p.inclVat) } : {}) };
  if (t.minPrice) out.min_price = limit(t.minPrice);
  if (t.maxPrice) out.max_price = limit(t.maxPrice);
  if (version === '2.3.0' && t.preauthorizeAmount !== undefined) out.preauthorize_amount = num(t.preauthorizeAmount);
  out.elements = t.elements.map((e) => {
    const element: Obj = {
      price_components: e.priceComponents.map((c) => ({ type: c.type, price: num(c.price), ...(c.vat !== undefined ? { vat: num(c.vat) } : {}), step_size: c.stepSize })),
    };
    if (e.restrictions) element.restrictions = Object.fromEntries(Object.entries(e.restrictions).map(([k, v]) => [snake(k), Array.isArray(v) ? [...v] : v]));
    return element;
  });
  if (version === '2.3.0') out.tax_included = t.taxNotApplicable ? 'N/A' : t.taxIncluded ? 'YES' : 'NO';
  if (t.startDateTime !== undefined) out.start_date_time = t.startDateTime;
  if (t.endDateTime !== undefined) out.end_date_time = t.endDateTime;
  if (t.energyMix !== undefined) out.energy_mix = t.energyMix;
  if (t.lastUpdated !== undefined) out.last_updated = t.lastUpdated;
  return out;
}
