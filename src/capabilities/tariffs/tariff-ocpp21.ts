/**
 * The canonical tariff (OCPI-shaped, tariff.ts) as an OCPP 2.1 TariffType, for stations that
 * price locally (SetDefaultTariff, ChangeTransactionTariff). Field meanings from the official
 * 2.1 JSON schema (cited "OCPP 2.1 schema, <Type>.<field>").
 *
 * The shapes differ: OCPI lists elements, each pricing several dimensions under one set of
 * restrictions, and for each dimension the first element whose restrictions hold applies. 2.1
 * lists, per dimension (energy, chargingTime, idleTime, fixedFee), prices each with its own
 * conditions. Splitting every element by dimension, in element order, keeps the first-match rule
 * per dimension (assumed to be 2.1's as well: the Part 2 text of block I was not available to us,
 * the schema does not say).
 *
 * A station must never be sent a different price than the one our engine bills (tariff-cost.ts).
 * What 2.1 cannot say exactly is refused with the OCPI path of the tariff field and why (the same
 * paths as the tariff API's own 400s), never approximated:
 * - step sizes (2.1 bills exact amounts), prices that have no exact per-minute (TIME, PARKING_TIME)
 *   or before-tax (2.3.0 tax included) decimal, a VAT rate that differs between elements of one
 *   dimension (2.1 taxRates are per dimension), restrictions a fixed fee cannot carry (2.1's
 *   TariffConditionsFixedType has time, day and date only), reservation elements (our engine does
 *   not price reservations, a 2.1 station would), alternative texts 2.1 cannot hold.
 * Not sent, because our engine ignores them too: the tariff's own validity (start/end_date_time).
 */
import type { OcppRequest } from '../../ocpp/ocpp-handler.ts';
import { add, dec, div, eq, integer, isTerminating, isZero, mul, toDecimalString, type Ratio } from '../../kernel/decimal.ts';
import type { DayOfWeek, PriceComponent, TariffDimension, TariffModel, TariffRestrictions } from './tariff.ts';

export type Tariff21 = OcppRequest<'2.1', 'SetDefaultTariff'>['tariff'];
type Energy21 = NonNullable<Tariff21['energy']>;
type Time21 = NonNullable<Tariff21['chargingTime']>;
type Fixed21 = NonNullable<Tariff21['fixedFee']>;
type Conditions21 = NonNullable<Energy21['prices'][number]['conditions']>;
type FixedConditions21 = NonNullable<Fixed21['prices'][number]['conditions']>;
type TaxRate21 = NonNullable<Energy21['taxRates']>[number];
type Day21 = NonNullable<Conditions21['dayOfWeek']>[number];
type Description21 = NonNullable<Tariff21['description']>[number];

export type Translation21 = { ok: true; tariff: Tariff21 } | { ok: false; path: string; problem: string };

class Untranslatable {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {}
}

/** OCPP 2.1 schema, TariffType.tariffId: string[0..60]. */
const TARIFF_ID_MAX = 60;
/** OCPP 2.1 schema, TariffType.description: 1..10 MessageContentType; content[0..1024], language[0..8]. */
const DESCRIPTIONS_MAX = 10;
const CONTENT_MAX = 1024;
const LANGUAGE_MAX = 8;
/** Decimals a price may have on the wire: exact decimal text, read back as the same JSON number. */
const PRICE_SCALE = 12;

const DAYS: Readonly<Record<DayOfWeek, Day21>> = {
  MONDAY: 'Monday',
  TUESDAY: 'Tuesday',
  WEDNESDAY: 'Wednesday',
  THURSDAY: 'Thursday',
  FRIDAY: 'Friday',
  SATURDAY: 'Saturday',
  SUNDAY: 'Sunday',
};

const HUNDRED = integer(100);
const SIXTY = integer(60);
const THOUSAND = integer(1000);

/** A value as a JSON number, only when its decimal is exact within PRICE_SCALE (else the station would bill another price). */
function exactNumber(value: Ratio, path: string, what: string): number {
  const text = toDecimalString(value, PRICE_SCALE);
  if (!isTerminating(value) || !eq(dec(text), value)) throw new Untranslatable(path, `${what} has no exact decimal (${toDecimalString(value, 8)}...): a station would bill a rounded price`);
  return Number(text);
}

/** kWh -> Wh, kW -> W: exact on the decimals the numbers were written with. */
const thousandfold = (value: number): number => Number(toDecimalString(mul(dec(value), THOUSAND)));

const RESTRICTION_PATH: Readonly<Record<keyof TariffRestrictions, string>> = {
  startTime: 'start_time',
  endTime: 'end_time',
  startDate: 'start_date',
  endDate: 'end_date',
  minKwh: 'min_kwh',
  maxKwh: 'max_kwh',
  minCurrent: 'min_current',
  maxCurrent: 'max_current',
  minPower: 'min_power',
  maxPower: 'max_power',
  minDuration: 'min_duration',
  maxDuration: 'max_duration',
  dayOfWeek: 'day_of_week',
  reservation: 'reservation',
};

/** Time of day, day of week and date: the conditions every 2.1 price can carry. */
function calendar(r: TariffRestrictions): FixedConditions21 {
  return {
    ...(r.startTime !== undefined ? { startTimeOfDay: r.startTime } : {}),
    ...(r.endTime !== undefined ? { endTimeOfDay: r.endTime } : {}),
    ...(r.dayOfWeek !== undefined ? { dayOfWeek: r.dayOfWeek.map((d) => DAYS[d]) } : {}),
    ...(r.startDate !== undefined ? { validFromDate: r.startDate } : {}),
    ...(r.endDate !== undefined ? { validToDate: r.endDate } : {}),
  };
}

/**
 * OCPI restrictions as 2.1 conditions of an energy or time price. Same bounds (OCPP 2.1 schema,
 * TariffConditionsType: minEnergy inclusive / maxEnergy exclusive in Wh, power in W, current in A
 * summed over phases, minTime / maxTime the transaction's duration in s) in other units.
 */
function conditions(r: TariffRestrictions): Conditions21 {
  return {
    ...calendar(r),
    ...(r.minKwh !== undefined ? { minEnergy: thousandfold(r.minKwh) } : {}),
    ...(r.maxKwh !== undefined ? { maxEnergy: thousandfold(r.maxKwh) } : {}),
    ...(r.minCurrent !== undefined ? { minCurrent: r.minCurrent } : {}),
    ...(r.maxCurrent !== undefined ? { maxCurrent: r.maxCurrent } : {}),
    ...(r.minPower !== undefined ? { minPower: thousandfold(r.minPower) } : {}),
    ...(r.maxPower !== undefined ? { maxPower: thousandfold(r.maxPower) } : {}),
    ...(r.minDuration !== undefined ? { minTime: r.minDuration } : {}),
    ...(r.maxDuration !== undefined ? { maxTime: r.maxDuration } : {}),
  };
}

/** A fixed fee's conditions (OCPP 2.1 schema, TariffConditionsFixedType): time, day and date only. */
function fixedConditions(r: TariffRestrictions, path: string): FixedConditions21 {
  const calendarOnly: ReadonlyArray<keyof TariffRestrictions> = ['startTime', 'endTime', 'dayOfWeek', 'startDate', 'endDate'];
  for (const key of Object.keys(r) as Array<keyof TariffRestrictions>) {
    if (r[key] !== undefined && !calendarOnly.includes(key)) {
      throw new Untranslatable(`${path}/${RESTRICTION_PATH[key]}`, 'an OCPP 2.1 fixed fee (TariffConditionsFixedType) can only be conditioned on time of day, day of week and date: the element\'s FLAT price cannot carry this restriction');
    }
  }
  return calendar(r);
}

const nonEmpty = <T extends object>(o: T): T | undefined => (Object.keys(o).length > 0 ? o : undefined);

/** The price before tax: as written, or, for a 2.3.0 tariff that includes tax, with its VAT taken out (exactly, or refused). */
function beforeTax(t: TariffModel, c: PriceComponent): Ratio {
  const price = dec(c.price);
  if (!t.taxIncluded || c.vat === undefined || isZero(dec(c.vat))) return price;
  return div(price, div(add(HUNDRED, dec(c.vat)), HUNDRED));
}

/** The VAT each dimension is taxed at: 2.1 states tax rates per dimension, OCPI per component. */
class DimensionTax {
  private readonly seen = new Map<TariffDimension, { vat: string | null; path: string }>();

  note(t: TariffModel, c: PriceComponent, path: string): void {
    // Tax "not applicable" (2.3.0 N/A): no tax whatever a component says, as the engine bills it.
    const vat = t.taxNotApplicable || c.vat === undefined ? null : toDecimalString(dec(c.vat));
    const first = this.seen.get(c.type);
    if (!first) this.seen.set(c.type, { vat, path });
    else if (first.vat !== vat) {
      throw new Untranslatable(`${path}/vat`, `OCPP 2.1 taxes a dimension at one rate (taxRates per energy, chargingTime, idleTime, fixedFee); ${c.type} is taxed ${first.vat ?? 'not at all'} at ${first.path} and ${vat ?? 'not at all'} here`);
    }
  }

  /** OCPP 2.1 schema, TaxRateType: {type (label on the receipt), tax (percentage), stack 0 = on the net price}. */
  rates(dimension: TariffDimension): { taxRates?: TaxRate21[] } {
    const vat = this.seen.get(dimension)?.vat;
    return vat === null || vat === undefined ? {} : { taxRates: [{ type: 'VAT', tax: Number(vat) }] };
  }
}

function description(t: TariffModel): Description21[] | undefined {
  if (!t.altText || t.altText.length === 0) return undefined;
  if (t.altText.length > DESCRIPTIONS_MAX) throw new Untranslatable('/tariff_alt_text', `OCPP 2.1 carries at most ${DESCRIPTIONS_MAX} descriptions; the tariff has ${t.altText.length}`);
  return t.altText.map((d, i) => {
    if (d.text.length > CONTENT_MAX) throw new Untranslatable(`/tariff_alt_text/${i}/text`, `OCPP 2.1 description content has at most ${CONTENT_MAX} characters`);
    if (d.language.length > LANGUAGE_MAX) throw new Untranslatable(`/tariff_alt_text/${i}/language`, `OCPP 2.1 language codes have at most ${LANGUAGE_MAX} characters`);
    return { format: 'UTF8', language: d.language, content: d.text };
  });
}

function translate(t: TariffModel, tariffId: string): Tariff21 {
  if (tariffId.length > TARIFF_ID_MAX) throw new Untranslatable('/id', `an OCPP 2.1 tariff id has at most ${TARIFF_ID_MAX} characters; ${tariffId} has ${tariffId.length}`);
  const energy: Energy21['prices'] = [];
  const chargingTime: Time21['prices'] = [];
  const idleTime: Time21['prices'] = [];
  const fixedFee: Fixed21['prices'] = [];
  const tax = new DimensionTax();
  t.elements.forEach((element, i) => {
    const r = element.restrictions ?? {};
    if (r.reservation !== undefined) {
      throw new Untranslatable(`/elements/${i}/restrictions/reservation`, 'this CSMS does not price reservations (the engine skips such elements); an OCPP 2.1 station would charge them (reservationTime, reservationFixed)');
    }
    element.priceComponents.forEach((c, j) => {
      const path = `/elements/${i}/price_components/${j}`;
      if (c.type !== 'FLAT' && c.stepSize > 1) {
        throw new Untranslatable(`${path}/step_size`, `OCPP 2.1 has no step size: a station bills the exact ${c.type === 'ENERGY' ? 'energy' : 'time'}, the CDR rounds it up to steps of ${c.stepSize} ${c.type === 'ENERGY' ? 'Wh' : 's'}`);
      }
      tax.note(t, c, path);
      const net = beforeTax(t, c);
      const what = t.taxIncluded && !eq(net, dec(c.price)) ? 'the price before tax' : 'the price';
      const cond = nonEmpty(c.type === 'FLAT' ? {} : conditions(r));
      if (c.type === 'ENERGY') energy.push({ priceKwh: exactNumber(net, `${path}/price`, `${what} per kWh`), ...(cond ? { conditions: cond } : {}) });
      else if (c.type === 'FLAT') {
        const fixed = nonEmpty(fixedConditions(r, `/elements/${i}/restrictions`));
        fixedFee.push({ priceFixed: exactNumber(net, `${path}/price`, what), ...(fixed ? { conditions: fixed } : {}) });
      } else {
        // OCPP 2.1 schema, TariffTimePriceType.priceMinute: per minute; OCPI TIME and PARKING_TIME are per hour.
        const price = { priceMinute: exactNumber(div(net, SIXTY), `${path}/price`, `${what} per hour, per minute,`), ...(cond ? { conditions: cond } : {}) };
        (c.type === 'TIME' ? chargingTime : idleTime).push(price);
      }
    });
  });
  const limit = (p: NonNullable<TariffModel['minPrice']>) => ({ exclTax: Number(p.exclVat), ...(p.inclVat !== undefined ? { inclTax: Number(p.inclVat) } : {}) });
  const texts = description(t);
  return {
    tariffId,
    currency: t.currency,
    ...(texts ? { description: texts } : {}),
    ...(energy.length > 0 ? { energy: { prices: energy, ...tax.rates('ENERGY') } } : {}),
    ...(chargingTime.length > 0 ? { chargingTime: { prices: chargingTime, ...tax.rates('TIME') } } : {}),
    ...(idleTime.length > 0 ? { idleTime: { prices: idleTime, ...tax.rates('PARKING_TIME') } } : {}),
    ...(fixedFee.length > 0 ? { fixedFee: { prices: fixedFee, ...tax.rates('FLAT') } } : {}),
    ...(t.minPrice ? { minCost: limit(t.minPrice) } : {}),
    ...(t.maxPrice ? { maxCost: limit(t.maxPrice) } : {}),
  };
}

/** The tariff as OCPP 2.1 TariffType under the station's id for it, or the first thing 2.1 cannot say exactly (OCPI path). */
export function tariffTo21(t: TariffModel, tariffId: string): Translation21 {
  try {
    return { ok: true, tariff: translate(t, tariffId) };
  } catch (error) {
    if (error instanceof Untranslatable) return { ok: false, path: error.path, problem: error.problem };
    throw error;
  }
}
