/**
 * Golden tests of the cost engine (src/capabilities/tariffs/tariff-cost.ts).
 *
 * First the tariff examples of OCPI 2.2.1, module Tariffs (and the step_size examples of the
 * CDRs module), each with a priced session and its total worked out by hand; then a case at
 * every boundary: midnight, a time-of-day restriction starting mid-session, min/max price, step
 * size, both DST changes in Europe/Amsterdam, day of week, kWh and power bands, JPY and KWD,
 * a zero-energy session, and an open session priced at successive "now"s.
 *
 * Sessions are written as steps on the site's wall clock: each step lasts `min` minutes, delivers
 * `wh` Wh and is charging unless it says otherwise; a meter sample opens every step and one
 * closes the last.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { add, dec, ZERO } from '../../src/kernel/decimal.ts';
import { fromOcpi, type TariffModel } from '../../src/capabilities/tariffs/tariff.ts';
import { priceSession, type MeterSample, type PricedSession, type SessionUsage } from '../../src/capabilities/tariffs/tariff-cost.ts';

const AMS = 'Europe/Amsterdam';

function ocpi(body: unknown): TariffModel {
  const result = fromOcpi(body);
  assert.ok(result.ok, result.ok ? '' : `${result.path}: ${result.problem}`);
  return result.tariff;
}

interface Step {
  min: number;
  wh?: number | string;
  charging?: boolean;
  powerW?: number;
  currentA?: number;
}

/** A session starting at `start` (ISO with offset) made of steps; `end` defaults to the end of the last step. */
function session(start: string, steps: Step[], options: { end?: string; timeZone?: string } = {}): SessionUsage {
  const samples: MeterSample[] = [];
  let t = Date.parse(start);
  let register = dec('100000');
  let last: Step | undefined;
  for (const step of steps) {
    const sample: MeterSample = { at: new Date(t).toISOString(), energyWh: register.n === ZERO.n ? '0' : String(Number(register.n) / Number(register.d)), charging: step.charging ?? true };
    if (step.powerW !== undefined) sample.powerW = step.powerW;
    if (step.currentA !== undefined) sample.currentA = step.currentA;
    samples.push(sample);
    t += step.min * 60_000;
    register = add(register, dec(step.wh ?? 0));
    last = step;
  }
  samples.push({ at: new Date(t).toISOString(), energyWh: String(Number(register.n) / Number(register.d)), charging: last?.charging ?? true });
  return { timeZone: options.timeZone ?? AMS, start, end: options.end ?? new Date(t).toISOString(), samples };
}

function totals(priced: PricedSession): [string, string] {
  return [priced.totalExclTax, priced.totalInclTax];
}

// OCPI 2.2.1 tariff examples (module Tariffs), as their JSON bodies.
const ENERGY_025 = { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 10.0, step_size: 1 }] }] };
const START_FEE = { type: 'FLAT', price: 0.5, vat: 20.0, step_size: 1 };
const ENERGY_025_START = { currency: 'EUR', elements: [{ price_components: [START_FEE, { type: 'ENERGY', price: 0.25, vat: 10.0, step_size: 1 }] }] };

describe('OCPI 2.2.1 tariff examples', () => {
  test('simple 0.25/kWh: 20 kWh = 5.00 excl, 5.50 incl (5.00 x 1.10)', () => {
    const priced = priceSession(ocpi(ENERGY_025), session('2026-01-12T10:00:00+01:00', [{ min: 120, wh: 20000 }]));
    assert.deepEqual(totals(priced), ['5.00', '5.50']);
    assert.equal(priced.totalExclTaxMinor, 500);
    assert.equal(priced.totalInclTaxMinor, 550);
    assert.equal(priced.periods.length, 1);
    assert.equal(priced.periods[0]!.dimensions.energyWh, '20000');
  });

  test('0.25/kWh + start fee: 0.50 + 5.00 = 5.50 excl; 0.60 + 5.50 = 6.10 incl', () => {
    const priced = priceSession(ocpi(ENERGY_025_START), session('2026-01-12T10:00:00+01:00', [{ min: 120, wh: 20000 }]));
    assert.deepEqual(totals(priced), ['5.50', '6.10']);
    assert.equal(priced.periods[0]!.dimensions.flat, 1);
    assert.equal(priced.periods[0]!.elements.FLAT, 0);
  });

  test('0.25/kWh + min price 0.50/0.55: 20 kWh = 5.00/5.50; 1 kWh (0.25/0.275) is lifted to 0.50/0.55', () => {
    const tariff = ocpi({ ...ENERGY_025, min_price: { excl_vat: 0.5, incl_vat: 0.55 } });
    const big = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 120, wh: 20000 }]));
    assert.deepEqual(totals(big), ['5.00', '5.50']);
    assert.equal(big.minPriceApplied, false);
    const small = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 10, wh: 1000 }]));
    assert.deepEqual(totals(small), ['0.50', '0.55']);
    assert.equal(small.minPriceApplied, true);
    assert.equal(small.unboundedExclTax, '0.25');
  });

  test('0.25/kWh + parking 2.00/h per 15 min + start fee: 20 kWh, 40 min parked (billed 45) = 0.50 + 5.00 + 1.50 = 7.00; 0.60 + 5.50 + 1.80 = 7.90', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [START_FEE, { type: 'ENERGY', price: 0.25, vat: 10.0, step_size: 1 }, { type: 'PARKING_TIME', price: 2.0, vat: 20.0, step_size: 900 }] }] });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 120, wh: 20000 }, { min: 40, charging: false }]));
    assert.deepEqual(totals(priced), ['7.00', '7.90']);
    assert.equal(priced.periods.length, 2);
    assert.equal(priced.periods[1]!.measured.parkingSeconds, '2400');
    assert.equal(priced.periods[1]!.dimensions.parkingSeconds, '2700');
  });

  test('0.25/kWh + start fee + max price 10/11: 50 kWh (13.00/14.35) is capped to 10.00/11.00; 30 kWh = 8.00/8.85', () => {
    const tariff = ocpi({ ...ENERGY_025_START, max_price: { excl_vat: 10.0, incl_vat: 11.0 }, end_date_time: '2019-06-30T23:59:59Z' });
    const capped = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 300, wh: 50000 }]));
    assert.deepEqual(totals(capped), ['10.00', '11.00']);
    assert.equal(capped.maxPriceApplied, true);
    const under = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 180, wh: 30000 }]));
    assert.deepEqual(totals(under), ['8.00', '8.85']);
    assert.equal(under.maxPriceApplied, false);
  });

  test('2.00/h charging time per minute: 2.5 h = 5.00 excl, 5.50 incl', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 2.0, vat: 10.0, step_size: 60 }] }] });
    assert.deepEqual(totals(priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 150, wh: 30000 }]))), ['5.00', '5.50']);
  });

  test('3.00/h charging + 5.00/h parking per 5 min: 150 min + 42 min (billed 45) = 7.50 + 3.75 = 11.25; 8.25 + 4.50 = 12.75', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 3.0, vat: 10.0, step_size: 60 }, { type: 'PARKING_TIME', price: 5.0, vat: 20.0, step_size: 300 }] }] });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 150, wh: 30000 }, { min: 42, charging: false }]));
    assert.deepEqual(totals(priced), ['11.25', '12.75']);
    assert.equal(priced.dimensions.time.quantity, '9000');
    assert.equal(priced.dimensions.parkingTime.quantity, '2700');
  });

  test('ad-hoc 1.90/h, 5.2% VAT, per 5 min: 2.5 h = 4.75 excl, 4.997 -> 5.00 incl', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 1.9, vat: 5.2, step_size: 300 }] }] });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 150, wh: 30000 }]));
    assert.deepEqual(totals(priced), ['4.75', '5.00']);
    assert.equal(priced.unboundedInclTax, '4.997');
  });

  test('start fee + 0.25/kWh per 100 Wh: 20.45 kWh billed as 20.5 = 0.50 + 5.125 = 5.625 -> 5.63; 0.60 + 5.6375 = 6.2375 -> 6.24', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [START_FEE, { type: 'ENERGY', price: 0.25, vat: 10.0, step_size: 100 }] }] });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 120, wh: 20450 }]));
    assert.deepEqual(totals(priced), ['5.63', '6.24']);
    assert.equal(priced.dimensions.energy.quantity, '20500');
    assert.equal(priced.unboundedExclTax, '5.625');
  });

  // The complex example: FLAT 2.50 (15%); TIME 1.00/h per 15 min below 32 A, 2.00/h per 10 min
  // from 32 A on weekdays, 1.25/h per 10 min from 32 A at weekends (20%); PARKING 5.00/h weekdays
  // 09-18, 6.00/h Saturday 10-17, per 5 min (10%).
  const COMPLEX = {
    currency: 'EUR',
    elements: [
      { price_components: [{ type: 'FLAT', price: 2.5, vat: 15.0, step_size: 1 }] },
      { price_components: [{ type: 'TIME', price: 1.0, vat: 20.0, step_size: 900 }], restrictions: { max_current: 32.0 } },
      { price_components: [{ type: 'TIME', price: 2.0, vat: 20.0, step_size: 600 }], restrictions: { min_current: 32.0, day_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] } },
      { price_components: [{ type: 'TIME', price: 1.25, vat: 20.0, step_size: 600 }], restrictions: { min_current: 32.0, day_of_week: ['SATURDAY', 'SUNDAY'] } },
      { price_components: [{ type: 'PARKING_TIME', price: 5.0, vat: 10.0, step_size: 300 }], restrictions: { start_time: '09:00', end_time: '18:00', day_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] } },
      { price_components: [{ type: 'PARKING_TIME', price: 6.0, vat: 10.0, step_size: 300 }], restrictions: { start_time: '10:00', end_time: '17:00', day_of_week: ['SATURDAY'] } },
    ],
  };

  test('complex, Monday 09:30, 165 min at 16 A + 42 min parked: 2.50 + 2.75 + 3.75 = 9.00; 2.875 + 3.30 + 4.125 = 10.30 (10.31 if each line were rounded)', () => {
    const priced = priceSession(ocpi(COMPLEX), session('2026-01-12T09:30:00+01:00', [{ min: 165, wh: 30000, currentA: 16 }, { min: 42, charging: false, currentA: 0 }]));
    assert.deepEqual(totals(priced), ['9.00', '10.30']);
    assert.deepEqual(priced.periods.map((p) => p.elements), [{ FLAT: 0, TIME: 1 }, { PARKING_TIME: 4 }]);
    assert.equal(priced.periods[0]!.dimensions.chargingSeconds, '9900', 'charging time is not rounded: parking follows');
  });

  test('complex, Saturday 13:30, 114 min at 43 A + 71 min parked (billed 75): 2.50 + 2.375 + 7.50 = 12.375 -> 12.38; 2.875 + 2.85 + 8.25 = 13.975 -> 13.98', () => {
    // The specification's table shows 2.28 / 2.736 for the charging line (114 min at 1.20/h);
    // at the element's 1.25/h, 114 min is 2.375 excl. and 2.85 incl.
    const priced = priceSession(ocpi(COMPLEX), session('2026-01-17T13:30:00+01:00', [{ min: 114, wh: 40000, currentA: 43 }, { min: 71, charging: false }]));
    assert.deepEqual(totals(priced), ['12.38', '13.98']);
    assert.equal(priced.unboundedExclTax, '12.375');
    assert.deepEqual(priced.periods.map((p) => p.elements), [{ FLAT: 0, TIME: 3 }, { PARKING_TIME: 5 }]);
  });

  test('free of charge: one FLAT 0.00 (step size 0) = 0.00', () => {
    const priced = priceSession(ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 0.0, step_size: 0 }] }] }), session('2026-01-12T10:00:00+01:00', [{ min: 60, wh: 10000 }]));
    assert.deepEqual(totals(priced), ['0.00', '0.00']);
  });

  // Step-size tariff: TIME 1.20/h per 30 min before 17:00, 2.40/h per 15 min 17-20 and after 20;
  // PARKING 1.00/h per 15 min before 20:00, free after.
  const STEP = {
    currency: 'EUR',
    elements: [
      { price_components: [{ type: 'TIME', price: 1.2, step_size: 1800 }, { type: 'PARKING_TIME', price: 1.0, step_size: 900 }], restrictions: { start_time: '00:00', end_time: '17:00' } },
      { price_components: [{ type: 'TIME', price: 2.4, step_size: 900 }, { type: 'PARKING_TIME', price: 1.0, step_size: 900 }], restrictions: { start_time: '17:00', end_time: '20:00' } },
      { price_components: [{ type: 'TIME', price: 2.4, step_size: 900 }], restrictions: { start_time: '20:00', end_time: '00:00' } },
    ],
  };

  test('step size #1: 16:55 charge 10 min, park 2 min (billed 15): 5 min x 1.20 + 5 min x 2.40 + 15 min x 1.00 = 0.10 + 0.20 + 0.25 = 0.55', () => {
    const priced = priceSession(ocpi(STEP), session('2026-01-12T16:55:00+01:00', [{ min: 10, wh: 2000 }, { min: 2, charging: false }]));
    assert.deepEqual(totals(priced), ['0.55', '0.55']);
    assert.deepEqual(priced.periods.map((p) => [p.localStart, p.costExclTax]), [['2026-01-12T16:55:00', '0.1'], ['2026-01-12T17:00:00', '0.2'], ['2026-01-12T17:05:00', '0.25']]);
  });

  test('step size #2: 16:35 charge 35 min (billed 45 with the last step, 15 min): 25 min x 1.20 + 20 min x 2.40 = 0.50 + 0.80 = 1.30', () => {
    const priced = priceSession(ocpi(STEP), session('2026-01-12T16:35:00+01:00', [{ min: 35, wh: 7000 }]));
    assert.deepEqual(totals(priced), ['1.30', '1.30']);
    assert.deepEqual(priced.periods.map((p) => p.dimensions.chargingSeconds), ['1500', '1200']);
  });

  test('step size #3: 19:40 charge 12 min, park 20 min, parking free from 20:00: 8 billable min billed as 15: 0.48 + 0.25 = 0.73', () => {
    const priced = priceSession(ocpi(STEP), session('2026-01-12T19:40:00+01:00', [{ min: 12, wh: 2000 }, { min: 20, charging: false }]));
    assert.deepEqual(totals(priced), ['0.73', '0.73']);
    assert.deepEqual(priced.periods.map((p) => [p.localStart, p.dimensions.parkingSeconds]), [['2026-01-12T19:40:00', '0'], ['2026-01-12T19:52:00', '900'], ['2026-01-12T20:00:00', '0']]);
  });

  test('CDR step_size: energy 0.20/kWh before 17:00, 0.27 after, per 500 Wh; 4.3 + 1.1 kWh billed as 4.3 + 1.2: 0.86 + 0.324 = 1.184 -> 1.18', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.2, step_size: 500 }], restrictions: { end_time: '17:00' } }, { price_components: [{ type: 'ENERGY', price: 0.27, step_size: 500 }] }] });
    const priced = priceSession(tariff, session('2026-01-12T16:30:00+01:00', [{ min: 30, wh: 4300 }, { min: 10, wh: 1100 }]));
    assert.deepEqual(totals(priced), ['1.18', '1.18']);
    assert.deepEqual(priced.periods.map((p) => p.dimensions.energyWh), ['4300', '1200']);
  });

  test('CDR step_size: time 5/h before 17:00, 7/h after, per 10 min; 6 + 22 min billed as 6 + 24: 0.50 + 2.80 = 3.30', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 5, step_size: 600 }], restrictions: { end_time: '17:00' } }, { price_components: [{ type: 'TIME', price: 7, step_size: 600 }] }] });
    assert.deepEqual(totals(priceSession(tariff, session('2026-01-12T16:54:00+01:00', [{ min: 28, wh: 5000 }]))), ['3.30', '3.30']);
  });

  test('CDR step_size: charging 1/h and parking 2/h per 10 min; 21 min charging (not rounded) + 16 parked (billed 20) = 0.35 + 0.6667 = 1.0167 -> 1.02', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 1, step_size: 600 }, { type: 'PARKING_TIME', price: 2, step_size: 600 }] }] });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 21, wh: 5000 }, { min: 16, charging: false }]));
    assert.deepEqual(totals(priced), ['1.02', '1.02']);
    assert.deepEqual(priced.periods.map((p) => [p.dimensions.chargingSeconds, p.dimensions.parkingSeconds]), [['1260', '0'], ['0', '1200']]);
  });

  test('max_power bands: 1 kWh at 6 kW (0.20), 40 kWh at 48 kW (0.50), 0.5 kWh at 4 kW (0.20) = 0.20 + 20.00 + 0.10 = 20.30; 24.36 incl', () => {
    const tariff = ocpi({
      currency: 'EUR',
      elements: [
        { price_components: [{ type: 'ENERGY', price: 0.2, vat: 20.0, step_size: 1 }], restrictions: { max_power: 16.0 } },
        { price_components: [{ type: 'ENERGY', price: 0.35, vat: 20.0, step_size: 1 }], restrictions: { max_power: 32.0 } },
        { price_components: [{ type: 'ENERGY', price: 0.5, vat: 20.0, step_size: 1 }] },
      ],
    });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 10, wh: 1000 }, { min: 50, wh: 40000 }, { min: 7.5, wh: 500 }]));
    assert.deepEqual(totals(priced), ['20.30', '24.36']);
    assert.deepEqual(priced.periods.map((p) => p.elements.ENERGY), [0, 2, 0], 'stepping into a new power band splits the period');
  });

  test('max_duration bands: first 30 min free, then 0.25/kWh until 60 min; 40 min with 5 kWh then 1.2 kWh = 0.00 + 0.30; 0.36 incl', () => {
    const tariff = ocpi({
      currency: 'EUR',
      elements: [
        { price_components: [{ type: 'ENERGY', price: 0.0, vat: 20.0, step_size: 1 }], restrictions: { max_duration: 1800 } },
        { price_components: [{ type: 'ENERGY', price: 0.25, vat: 20.0, step_size: 1 }], restrictions: { max_duration: 3600 } },
        { price_components: [{ type: 'ENERGY', price: 0.4, vat: 20.0, step_size: 1 }] },
      ],
    });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 30, wh: 5000 }, { min: 10, wh: 1200 }]));
    assert.deepEqual(totals(priced), ['0.30', '0.36']);
  });

  test('2.3.0 tax included (C$ 2.10/h incl. tax, no rate): 2.5 h = 5.25 incl; excl. unknown, shown equal', () => {
    const tariff = ocpi({ currency: 'CAD', tax_included: 'YES', elements: [{ price_components: [{ type: 'TIME', price: 2.1, step_size: 1 }] }] });
    assert.deepEqual(totals(priceSession(tariff, session('2026-01-12T10:00:00-05:00', [{ min: 150, wh: 20000 }], { timeZone: 'America/Toronto' }))), ['5.25', '5.25']);
  });

  test('2.3.0 tax included with a rate: 0.363/kWh incl. 21% VAT, 10 kWh = 3.63 incl, 3.00 excl', () => {
    const tariff = ocpi({ currency: 'EUR', tax_included: 'YES', elements: [{ price_components: [{ type: 'ENERGY', price: 0.363, vat: 21, step_size: 1 }] }] });
    assert.deepEqual(totals(priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 60, wh: 10000 }]))), ['3.00', '3.63']);
  });
});

describe('boundaries', () => {
  test('across midnight: Friday 22:00 to Saturday 02:00 at 10 kW, 0.40/kWh at weekends else 0.30: 20 kWh x 0.30 + 20 kWh x 0.40 = 14.00, cut at local midnight', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, step_size: 1 }], restrictions: { day_of_week: ['SATURDAY', 'SUNDAY'] } }, { price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }] });
    const priced = priceSession(tariff, session('2026-01-16T22:00:00+01:00', [{ min: 240, wh: 40000 }]));
    assert.deepEqual(totals(priced), ['14.00', '14.00']);
    assert.deepEqual(priced.periods.map((p) => [p.startDateTime, p.elements.ENERGY, p.dimensions.energyWh]), [['2026-01-16T21:00:00.000Z', 1, '20000'], ['2026-01-16T23:00:00.000Z', 0, '20000']]);
  });

  test('a night window that wraps midnight (23:00-07:00) is not cut at midnight, and starts mid-session at 23:00', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 1, step_size: 1 }], restrictions: { start_time: '23:00', end_time: '07:00' } }, { price_components: [{ type: 'TIME', price: 3, step_size: 1 }] }] });
    // 22:00-23:00 at 3/h, 23:00-01:00 at 1/h: 3 + 2 = 5.00
    const priced = priceSession(tariff, session('2026-01-16T22:00:00+01:00', [{ min: 180, wh: 30000 }]));
    assert.deepEqual(totals(priced), ['5.00', '5.00']);
    assert.deepEqual(priced.periods.map((p) => [p.localStart, p.elements.TIME]), [['2026-01-16T22:00:00', 1], ['2026-01-16T23:00:00', 0]]);
  });

  test('step size: only the last period of a dimension is rounded up (energy per kWh: 2.5 + 0.3 kWh -> 2.5 + 0.5)', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1000 }], restrictions: { end_time: '12:00' } }, { price_components: [{ type: 'ENERGY', price: 0.5, step_size: 1000 }] }] });
    // 2.5 kWh x 0.30 + (0.3 + 0.2) kWh x 0.50 = 0.75 + 0.25 = 1.00
    const priced = priceSession(tariff, session('2026-01-12T11:30:00+01:00', [{ min: 30, wh: 2500 }, { min: 6, wh: 300 }]));
    assert.deepEqual(totals(priced), ['1.00', '1.00']);
    assert.deepEqual(priced.periods.map((p) => p.dimensions.energyWh), ['2500', '500']);
  });

  test('DST spring forward (Amsterdam, 29 Mar 2026, 02:00 -> 03:00): 00:00-04:00 local is 3 real hours; a 02:30-03:30 window starts at the jump', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 2, step_size: 1 }], restrictions: { start_time: '02:30', end_time: '03:30' } }, { price_components: [{ type: 'TIME', price: 1, step_size: 1 }] }] });
    // 23:00Z-01:00Z at 1/h (local 00:00-02:00 CET), 01:00Z-01:30Z at 2/h (local 03:00-03:30 CEST), 01:30Z-02:00Z at 1/h: 2 + 1 + 0.5 = 3.50
    const priced = priceSession(tariff, session('2026-03-29T00:00:00+01:00', [{ min: 180, wh: 30000 }]));
    assert.equal(priced.measured.chargingSeconds, '10800');
    assert.deepEqual(totals(priced), ['3.50', '3.50']);
    assert.deepEqual(priced.periods.map((p) => [p.startDateTime, p.localStart, p.utcOffsetMinutes, p.elements.TIME]), [
      ['2026-03-28T23:00:00.000Z', '2026-03-29T00:00:00', 60, 1],
      ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00', 120, 0],
      ['2026-03-29T01:30:00.000Z', '2026-03-29T03:30:00', 120, 1],
    ]);
  });

  test('DST fall back (Amsterdam, 25 Oct 2026, 03:00 -> 02:00): 00:00-04:00 local is 5 real hours; a 02:00-03:00 window applies twice', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 2, step_size: 1 }], restrictions: { start_time: '02:00', end_time: '03:00' } }, { price_components: [{ type: 'TIME', price: 1, step_size: 1 }] }] });
    // 22:00Z-00:00Z at 1/h, 00:00Z-02:00Z (02:00-03:00 CEST then 02:00-03:00 CET) at 2/h, 02:00Z-03:00Z at 1/h: 2 + 4 + 1 = 7.00
    const priced = priceSession(tariff, session('2026-10-25T00:00:00+02:00', [{ min: 300, wh: 30000 }]));
    assert.equal(priced.measured.chargingSeconds, '18000');
    assert.deepEqual(totals(priced), ['7.00', '7.00']);
    assert.deepEqual(priced.periods.map((p) => [p.startDateTime, p.localStart, p.elements.TIME]), [
      ['2026-10-24T22:00:00.000Z', '2026-10-25T00:00:00', 1],
      ['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00', 0],
      ['2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00', 1],
    ]);
  });

  test('kWh bands: first 10 kWh at 0.30 plus 1.00/h, then 0.50 and no time fee; 22 kWh at 11 kW: 3.00 + 0.909090... + 6.00 = 9.909 -> 9.91', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }, { type: 'TIME', price: 1, step_size: 1 }], restrictions: { max_kwh: 10 } }, { price_components: [{ type: 'ENERGY', price: 0.5, step_size: 1 }], restrictions: { min_kwh: 10 } }] });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 120, wh: 22000 }]));
    assert.deepEqual(totals(priced), ['9.91', '9.91']);
    // 10 kWh at 11 kW is reached after 10/11 h = 3272.727... s: the cut falls inside a second.
    assert.deepEqual(priced.periods.map((p) => [p.startDateTime, p.measured.energyWh]), [['2026-01-12T09:00:00.000Z', '10000'], ['2026-01-12T09:54:32.727Z', '12000']]);
    assert.equal(priced.periods[0]!.measured.chargingSeconds, '3272.727272727273');
  });

  test('power from the samples decides the band when reported; a current band with no reported current does not apply', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.6, step_size: 1 }], restrictions: { min_power: 50 } }, { price_components: [{ type: 'ENERGY', price: 0.1, step_size: 1 }], restrictions: { min_current: 0 } }, { price_components: [{ type: 'ENERGY', price: 0.4, step_size: 1 }] }] });
    // 30 min: 25 kWh reported at 60 kW (0.60) -> 15.00; 30 min at 20 kW average, no power or current reported (0.40) -> 4.00
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 30, wh: 25000, powerW: 60000 }, { min: 30, wh: 10000 }]));
    assert.deepEqual(totals(priced), ['19.00', '19.00']);
    assert.deepEqual(priced.periods.map((p) => p.elements.ENERGY), [0, 2]);
  });

  test('JPY (0 decimals): 30 JPY/kWh + 10%, 12.345 kWh = 370.35 -> 370; 407.385 -> 407', () => {
    const tariff = ocpi({ currency: 'JPY', elements: [{ price_components: [{ type: 'ENERGY', price: 30, vat: 10, step_size: 1 }] }] });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+09:00', [{ min: 60, wh: 12345 }], { timeZone: 'Asia/Tokyo' }));
    assert.deepEqual(totals(priced), ['370', '407']);
    assert.equal(priced.totalInclTaxMinor, 407);
  });

  test('KWD (3 decimals): 0.085 KWD/kWh, 12.345 kWh = 1.049325 -> 1.049; min price 1.000 lifts a 5 kWh session (0.425)', () => {
    const tariff = ocpi({ currency: 'KWD', min_price: { excl_vat: 1 }, elements: [{ price_components: [{ type: 'ENERGY', price: 0.085, step_size: 1 }] }] });
    const priced = priceSession(tariff, session('2026-01-12T10:00:00+03:00', [{ min: 60, wh: 12345 }], { timeZone: 'Asia/Kuwait' }));
    assert.deepEqual(totals(priced), ['1.049', '1.049']);
    assert.equal(priced.totalExclTaxMinor, 1049);
    const small = priceSession(tariff, session('2026-01-12T10:00:00+03:00', [{ min: 60, wh: 5000 }], { timeZone: 'Asia/Kuwait' }));
    assert.deepEqual(totals(small), ['1.000', '1.000']);
  });

  test('max price without an incl. value keeps the session\'s tax ratio: 13.00 excl / 14.35 incl capped at 10.00 -> 11.04 incl', () => {
    const tariff = ocpi({ ...ENERGY_025_START, max_price: { excl_vat: 10 } });
    // 14.35 x 10 / 13 = 11.0384... -> 11.04
    assert.deepEqual(totals(priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 300, wh: 50000 }]))), ['10.00', '11.04']);
  });

  test('a zero-energy session pays its start fee and nothing for energy', () => {
    const samples = [{ at: '2026-01-12T09:00:00Z', energyWh: '5000' }, { at: '2026-01-12T09:15:00Z', energyWh: '5000' }];
    const priced = priceSession(ocpi(ENERGY_025_START), { timeZone: AMS, start: '2026-01-12T09:00:00Z', end: '2026-01-12T09:15:00Z', samples });
    assert.deepEqual(totals(priced), ['0.50', '0.60']);
    assert.equal(priced.measured.energyWh, '0');
    assert.equal(priced.periods.length, 1);
    assert.equal(priced.periods[0]!.charging, false, 'no energy and no charging flag: idle');
  });

  test('a session that ends where it starts is priced (flat only) without failing', () => {
    const priced = priceSession(ocpi(ENERGY_025_START), { timeZone: AMS, start: '2026-01-12T10:00:00Z', end: '2026-01-12T10:00:00Z', samples: [] });
    assert.deepEqual(totals(priced), ['0.50', '0.60']);
  });

  test('half-up on the total: 0.125 -> 0.13 (not 0.12)', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, step_size: 1 }] }] });
    assert.equal(priceSession(tariff, session('2026-01-12T10:00:00+01:00', [{ min: 5, wh: 500 }])).totalExclTax, '0.13');
  });

  test('an open session priced at a later "now" never costs less, and the final price equals the live price at the same instant', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [START_FEE, { type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }, { type: 'TIME', price: 0.5, vat: 21, step_size: 60 }] }], max_price: { excl_vat: 20 } });
    const full = session('2026-01-12T16:40:00+01:00', [{ min: 20, wh: 3000 }, { min: 40, wh: 8000 }, { min: 30, wh: 2000 }]);
    let previous = -1;
    for (let minute = 0; minute <= 90; minute += 7) {
      const now = new Date(Date.parse(full.start as string) + minute * 60_000 + 13_000).toISOString();
      const live = priceSession(tariff, { ...full, end: now, samples: full.samples.filter((s) => Date.parse(s.at as string) <= Date.parse(now)) });
      assert.ok(live.totalInclTaxMinor >= previous, `at +${minute} min: ${live.totalInclTaxMinor} >= ${previous}`);
      previous = live.totalInclTaxMinor;
    }
    const final = priceSession(tariff, full);
    const liveAtEnd = priceSession(tariff, { ...full, end: full.end });
    assert.deepEqual(final, liveAtEnd);
    assert.ok(final.totalInclTaxMinor >= previous);
  });
});
