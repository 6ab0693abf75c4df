/**
 * The canonical tariff as OCPP 2.1 TariffType (tariff-ocpp21.ts): every price the engine bills is
 * sent exactly (per kWh, per minute from per hour, before tax from a 2.3.0 tax-included price),
 * restrictions become conditions in 2.1's units, the result passes the official 2.1 schema of
 * SetDefaultTariff; what 2.1 cannot state exactly is refused with the OCPI path of the field.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromOcpi, type TariffModel } from '../../src/capabilities/tariffs/tariff.ts';
import { tariffTo21 } from '../../src/capabilities/tariffs/tariff-ocpp21.ts';
import { ourTariffOf, pricesLocally, stationTariffId } from '../../src/capabilities/tariffs/tariff-local-pricing.ts';
import { checkStationCost, finalStationCost, type StationCost } from '../../src/capabilities/tariffs/tariff-station-cost.ts';
import { schemasFor } from '../../src/ocpp/ocpp-schemas.ts';

function tariff(body: Record<string, unknown>): TariffModel {
  const read = fromOcpi({ currency: 'EUR', ...body });
  assert.ok(read.ok, JSON.stringify(read));
  return read.tariff;
}

function translated(body: Record<string, unknown>, id = 'T-v1') {
  const result = tariffTo21(tariff(body), id);
  assert.ok(result.ok, JSON.stringify(result));
  const valid = schemasFor('2.1').validate('SetDefaultTariff', 'request', { evseId: 0, tariff: result.tariff });
  assert.ok(valid.ok, JSON.stringify(valid));
  return result.tariff;
}

function refused(body: Record<string, unknown>): { path: string; problem: string } {
  const result = tariffTo21(tariff(body), 'T-v1');
  assert.equal(result.ok, false, 'refused');
  return result as { path: string; problem: string };
}

describe('canonical tariff -> OCPP 2.1 TariffType', () => {
  test('each dimension becomes its price list, in element order, with its conditions and its VAT', () => {
    const t = translated({
      elements: [
        {
          price_components: [
            { type: 'ENERGY', price: 0.25, vat: 21, step_size: 1 },
            { type: 'TIME', price: 1.2, vat: 21, step_size: 1 },
          ],
          restrictions: { start_time: '22:00', end_time: '06:00', day_of_week: ['SATURDAY', 'SUNDAY'], min_kwh: 0.5, max_power: 11, min_duration: 600, max_current: 16, start_date: '2026-01-01', end_date: '2027-01-01' },
        },
        { price_components: [{ type: 'ENERGY', price: 0.4, vat: 21, step_size: 1 }, { type: 'PARKING_TIME', price: 6, vat: 21, step_size: 1 }, { type: 'FLAT', price: 1.5, vat: 21 }] },
      ],
      min_price: { excl_vat: 1, incl_vat: 1.21 },
      max_price: { excl_vat: 50 },
      tariff_alt_text: [{ language: 'en', text: 'Night and weekend rate' }],
    });
    assert.deepEqual(t, {
      tariffId: 'T-v1',
      currency: 'EUR',
      description: [{ format: 'UTF8', language: 'en', content: 'Night and weekend rate' }],
      energy: {
        prices: [
          {
            priceKwh: 0.25,
            conditions: {
              startTimeOfDay: '22:00',
              endTimeOfDay: '06:00',
              dayOfWeek: ['Saturday', 'Sunday'],
              validFromDate: '2026-01-01',
              validToDate: '2027-01-01',
              minEnergy: 500,
              maxCurrent: 16,
              maxPower: 11000,
              minTime: 600,
            },
          },
          { priceKwh: 0.4 },
        ],
        taxRates: [{ type: 'VAT', tax: 21 }],
      },
      chargingTime: {
        prices: [{ priceMinute: 0.02, conditions: t.energy!.prices[0]!.conditions! }],
        taxRates: [{ type: 'VAT', tax: 21 }],
      },
      idleTime: { prices: [{ priceMinute: 0.1 }], taxRates: [{ type: 'VAT', tax: 21 }] },
      fixedFee: { prices: [{ priceFixed: 1.5 }], taxRates: [{ type: 'VAT', tax: 21 }] },
      minCost: { exclTax: 1, inclTax: 1.21 },
      maxCost: { exclTax: 50 },
    });
  });

  test('OCPI 2.3.0 prices that include tax are sent before tax, exactly; tax N/A sends no tax rate', () => {
    const included = translated({ tax_included: 'YES', elements: [{ price_components: [{ type: 'ENERGY', price: 0.363, vat: 21, step_size: 1 }, { type: 'FLAT', price: 1.21, vat: 21 }] }] });
    assert.deepEqual(included.energy, { prices: [{ priceKwh: 0.3 }], taxRates: [{ type: 'VAT', tax: 21 }] });
    assert.deepEqual(included.fixedFee, { prices: [{ priceFixed: 1 }], taxRates: [{ type: 'VAT', tax: 21 }] });
    const none = translated({ tax_included: 'N/A', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }] }] });
    assert.deepEqual(none.energy, { prices: [{ priceKwh: 0.3 }] });
  });

  test('a fixed fee keeps its time-of-day conditions', () => {
    const t = translated({ elements: [{ price_components: [{ type: 'FLAT', price: 2 }], restrictions: { start_time: '08:00', end_time: '20:00' } }] });
    assert.deepEqual(t.fixedFee, { prices: [{ priceFixed: 2, conditions: { startTimeOfDay: '08:00', endTimeOfDay: '20:00' } }] });
  });

  test('what 2.1 cannot state exactly is refused with the OCPI path, never approximated', () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 100 }] }] }, '/elements/0/price_components/0/step_size', /no step size.*100 Wh/],
      [{ elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }, { type: 'TIME', price: 1.25, step_size: 1 }] }] }, '/elements/0/price_components/1/price', /per minute.*no exact decimal \(0\.02083333/],
      [{ tax_included: 'YES', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }] }] }, '/elements/0/price_components/0/price', /before tax per kWh has no exact decimal/],
      [
        { elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }] }, { price_components: [{ type: 'ENERGY', price: 0.3, vat: 9, step_size: 1 }] }] },
        '/elements/1/price_components/0/vat',
        /one rate.*ENERGY is taxed 21 at \/elements\/0\/price_components\/0 and 9 here/,
      ],
      [{ elements: [{ price_components: [{ type: 'FLAT', price: 1 }], restrictions: { min_kwh: 1 } }] }, '/elements/0/restrictions/min_kwh', /fixed fee.*time of day, day of week and date/],
      [{ elements: [{ price_components: [{ type: 'FLAT', price: 1 }], restrictions: { reservation: 'RESERVATION' } }] }, '/elements/0/restrictions/reservation', /does not price reservations/],
      [{ elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }], tariff_alt_text: [{ language: 'en', text: 'x'.repeat(1025) }] }, '/tariff_alt_text/0/text', /at most 1024/],
    ];
    for (const [body, path, problem] of cases) {
      const result = refused(body);
      assert.equal(result.path, path, JSON.stringify(result));
      assert.match(result.problem, problem);
    }
    assert.equal(tariffTo21(tariff({ elements: [{ price_components: [{ type: 'FLAT', price: 1 }] }] }), `${'x'.repeat(59)}-v1`).ok, false, 'a station tariff id has at most 60 characters');
  });
});

describe('local pricing, the pure part', () => {
  test('a version is its own tariff on the station, and is read back', () => {
    assert.equal(stationTariffId('T1', 3), 'T1-v3');
    assert.deepEqual(ourTariffOf('T1-v3'), { tariffId: 'T1', version: 3 });
    assert.deepEqual(ourTariffOf('my-v-tariff-v12'), { tariffId: 'my-v-tariff', version: 12 });
    assert.equal(ourTariffOf('someone-elses'), null);
  });

  test('who prices locally: the label wins, else TariffCostCtrlr.Enabled[Tariff]', () => {
    assert.equal(pricesLocally({}, null), false);
    assert.equal(pricesLocally({}, 'True'), true);
    assert.equal(pricesLocally({ localPricing: 'false' }, 'true'), false);
    assert.equal(pricesLocally({ localPricing: 'true' }, 'false'), true);
    assert.equal(pricesLocally({ localPricing: 'maybe' }, 'false'), false);
  });

  const station = (over: Partial<StationCost> = {}): StationCost => ({
    currency: 'EUR',
    typeOfCost: 'NormalCost',
    totalExclTax: null,
    totalInclTax: '3.41',
    failureToCalculate: false,
    failureReason: null,
    tariffIds: [],
    energyWh: null,
    durationSec: null,
    idleSec: null,
    ...over,
  });
  const ours = { cdrId: 'C', currency: 'EUR', totalExclTax: '2.83', totalInclTax: '3.40' };

  test('the station\'s total against the CDR: one minor unit is tolerated, more is flagged', () => {
    assert.deepEqual(checkStationCost(station(), ours), { status: 'agrees', compared: 'inclTax', difference: '1' });
    assert.deepEqual(checkStationCost(station({ totalInclTax: '3.385' }), ours), { status: 'differs', compared: 'inclTax', difference: '-1.5' });
    assert.deepEqual(checkStationCost(station({ totalInclTax: '3.90' }), ours), { status: 'differs', compared: 'inclTax', difference: '50' });
    assert.deepEqual(checkStationCost(station({ totalInclTax: null, totalExclTax: '2.83' }), ours), { status: 'agrees', compared: 'exclTax', difference: '0' });
    assert.equal(checkStationCost(station({ currency: 'USD' }), ours).status, 'currency-differs');
    assert.equal(checkStationCost(station({ failureToCalculate: true }), ours).status, 'station-failed');
    assert.equal(checkStationCost(station({ totalInclTax: '0' }), { cdrId: 'C', currency: null, totalExclTax: null, totalInclTax: null }).status, 'agrees', 'free here and free there');
    assert.equal(checkStationCost(station(), { cdrId: 'C', currency: null, totalExclTax: null, totalInclTax: null }).status, 'not-priced-here');
    assert.equal(checkStationCost(station({ totalInclTax: null, totalExclTax: null }), ours).status, 'not-comparable');
  });

  test('the station\'s final word: the Ended event\'s cost, else the latest', () => {
    const cost = (total: string) => ({ currency: 'EUR', typeOfCost: 'NormalCost', totalInclTax: total });
    assert.equal(finalStationCost([{ message: 'TransactionEvent Updated', stationCost: cost('1') }, { message: 'TransactionEvent Ended', stationCost: cost('2') }, { message: 'TransactionEvent Updated', stationCost: cost('3') }])?.totalInclTax, '2');
    assert.equal(finalStationCost([{ message: 'TransactionEvent Updated', stationCost: cost('1') }, { message: 'TransactionEvent Updated', stationCost: cost('3') }])?.totalInclTax, '3');
    assert.equal(finalStationCost([{ message: 'TransactionEvent Ended' }]), null);
  });
});
