/**
 * The canonical tariff (src/capabilities/tariffs/tariff.ts): the checker names each problem with
 * a JSON pointer, and OCPI 2.2.1 and 2.3.0 bodies go in and come back out without loss.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTariff, fromOcpi, ocpiVersionOf, toOcpi } from '../../src/capabilities/tariffs/tariff.ts';

const OCPI_221 = {
  country_code: 'DE',
  party_id: 'ALL',
  id: '14',
  currency: 'EUR',
  type: 'REGULAR',
  tariff_alt_text: [{ language: 'en', text: 'Start fee, time, parking' }],
  tariff_alt_url: 'https://company.example/tariffs/14',
  min_price: { excl_vat: 0.5, incl_vat: 0.55 },
  max_price: { excl_vat: 10, incl_vat: 11 },
  elements: [
    { price_components: [{ type: 'FLAT', price: 2.5, vat: 15, step_size: 1 }] },
    { price_components: [{ type: 'TIME', price: 1, vat: 20, step_size: 900 }], restrictions: { max_current: 32 } },
    { price_components: [{ type: 'PARKING_TIME', price: 5, vat: 10, step_size: 300 }], restrictions: { start_time: '09:00', end_time: '18:00', day_of_week: ['MONDAY', 'FRIDAY'] } },
    { price_components: [{ type: 'ENERGY', price: 0.25, step_size: 1 }], restrictions: { min_kwh: 0, max_kwh: 50, min_power: 0, max_power: 22, min_duration: 0, max_duration: 3600, start_date: '2026-01-01', end_date: '2027-01-01' } },
    { price_components: [{ type: 'TIME', price: 3, step_size: 60 }, { type: 'FLAT', price: 2, step_size: 1 }], restrictions: { reservation: 'RESERVATION' } },
  ],
  start_date_time: '2026-01-01T00:00:00Z',
  end_date_time: '2027-01-01T00:00:00Z',
  energy_mix: { is_green_energy: true },
  last_updated: '2025-12-18T17:07:11Z',
};

const OCPI_230 = {
  country_code: 'CA',
  party_id: 'FLO',
  id: '12',
  currency: 'CAD',
  min_price: { before_taxes: 1, after_taxes: 1.13 },
  preauthorize_amount: 50,
  elements: [{ price_components: [{ type: 'TIME', price: 2.1, step_size: 1 }] }],
  tax_included: 'YES',
  last_updated: '2024-12-05T18:30:14Z',
};

describe('tariff model', () => {
  test('an OCPI 2.2.1 tariff comes in and goes back out unchanged', () => {
    const result = fromOcpi(OCPI_221);
    assert.ok(result.ok, result.ok ? '' : `${result.path}: ${result.problem}`);
    assert.equal(result.version, '2.2.1');
    assert.equal(result.tariff.elements[0]!.priceComponents[0]!.price, '2.5');
    assert.equal(result.tariff.elements[1]!.priceComponents[0]!.vat, '20');
    assert.deepEqual(result.tariff.minPrice, { exclVat: '0.5', inclVat: '0.55' });
    assert.deepEqual(toOcpi(result.tariff, '2.2.1'), OCPI_221);
  });

  test('an OCPI 2.3.0 tariff (tax_included, PriceLimit, preauthorize_amount) comes in and goes back out unchanged', () => {
    const result = fromOcpi(OCPI_230);
    assert.ok(result.ok, result.ok ? '' : `${result.path}: ${result.problem}`);
    assert.equal(result.version, '2.3.0');
    assert.equal(result.tariff.taxIncluded, true);
    assert.deepEqual(result.tariff.minPrice, { exclVat: '1', inclVat: '1.13' });
    assert.deepEqual(toOcpi(result.tariff, '2.3.0'), OCPI_230);
    const na = fromOcpi({ ...OCPI_230, tax_included: 'N/A' });
    assert.ok(na.ok && na.tariff.taxNotApplicable === true);
    assert.equal((toOcpi(na.tariff, '2.3.0') as { tax_included: string }).tax_included, 'N/A');
    const no = fromOcpi({ ...OCPI_230, tax_included: 'NO' });
    assert.ok(no.ok && no.tariff.taxIncluded === false);
    assert.equal((toOcpi(no.tariff, '2.3.0') as { tax_included: string }).tax_included, 'NO');
  });

  test('a 2.2.1 tariff written as 2.3.0 gets tax_included NO and PriceLimit names, and back', () => {
    const result = fromOcpi(OCPI_221);
    assert.ok(result.ok);
    const as230 = toOcpi(result.tariff, '2.3.0') as Record<string, unknown>;
    assert.equal(as230.tax_included, 'NO');
    assert.deepEqual(as230.min_price, { before_taxes: 0.5, after_taxes: 0.55 });
    assert.equal(ocpiVersionOf(as230), '2.3.0');
    const back = fromOcpi(as230);
    assert.ok(back.ok);
    assert.deepEqual(toOcpi(back.tariff, '2.2.1'), OCPI_221);
  });

  test('the canonical shape is checked and normalised (numbers become decimal text)', () => {
    const result = checkTariff({ currency: 'EUR', elements: [{ priceComponents: [{ type: 'ENERGY', price: 0.3, vat: 21, stepSize: 1 }, { type: 'FLAT', price: '1.00' }] }] });
    assert.ok(result.ok);
    assert.deepEqual(result.tariff.elements[0]!.priceComponents, [
      { type: 'ENERGY', price: '0.3', vat: '21', stepSize: 1 },
      { type: 'FLAT', price: '1.00', stepSize: 1 },
    ]);
  });

  test('each problem is named with a JSON pointer', () => {
    const base = { currency: 'EUR', elements: [{ priceComponents: [{ type: 'ENERGY', price: '0.30', stepSize: 1 }] }] };
    const element = (patch: Record<string, unknown>) => ({ ...base, elements: [{ ...base.elements[0], ...patch }] });
    const component = (patch: Record<string, unknown>) => element({ priceComponents: [{ ...base.elements[0]!.priceComponents[0], ...patch }] });
    const cases: Array<[unknown, string, RegExp]> = [
      [null, '', /object/],
      [{ ...base, currency: 'eur' }, '/currency', /ISO 4217/],
      [{ ...base, currency: 'XXX' }, '/currency', /minor unit/],
      [{ ...base, elements: [] }, '/elements', /non-empty/],
      [{ ...base, extra: 1 }, '/extra', /unknown field/],
      [element({ priceComponents: [] }), '/elements/0/priceComponents', /non-empty/],
      [component({ type: 'KWH' }), '/elements/0/priceComponents/0/type', /ENERGY/],
      [component({ price: '-1' }), '/elements/0/priceComponents/0/price', /negative/],
      [component({ price: 'ten' }), '/elements/0/priceComponents/0/price', /decimal/],
      [component({ vat: 120 }), '/elements/0/priceComponents/0/vat', /percentage/],
      [component({ stepSize: 1.5 }), '/elements/0/priceComponents/0/stepSize', /whole/],
      [component({ stepSize: undefined }), '/elements/0/priceComponents/0/stepSize', /required/],
      [component({ step_size: 1 }), '/elements/0/priceComponents/0/step_size', /unknown field/],
      [element({ priceComponents: [{ type: 'ENERGY', price: '1', stepSize: 1 }, { type: 'ENERGY', price: '2', stepSize: 1 }] }), '/elements/0/priceComponents/1/type', /twice/],
      [element({ restrictions: { startTime: '7:00' } }), '/elements/0/restrictions/startTime', /HH:MM/],
      [element({ restrictions: { endTime: '24:00' } }), '/elements/0/restrictions/endTime', /HH:MM/],
      [element({ restrictions: { startDate: '2026-02-30' } }), '/elements/0/restrictions/startDate', /calendar/],
      [element({ restrictions: { startDate: '2026-02-01', endDate: '2026-02-01' } }), '/elements/0/restrictions/endDate', /after/],
      [element({ restrictions: { minKwh: 20, maxKwh: 10 } }), '/elements/0/restrictions/maxKwh', /greater/],
      [element({ restrictions: { minPower: -1 } }), '/elements/0/restrictions/minPower', />= 0/],
      [element({ restrictions: { maxDuration: 1.5 } }), '/elements/0/restrictions/maxDuration', /whole/],
      [element({ restrictions: { dayOfWeek: ['MON'] } }), '/elements/0/restrictions/dayOfWeek/0', /MONDAY/],
      [element({ restrictions: { dayOfWeek: ['MONDAY', 'MONDAY'] } }), '/elements/0/restrictions/dayOfWeek/1', /twice/],
      [element({ restrictions: { reservation: 'YES' } }), '/elements/0/restrictions/reservation', /RESERVATION/],
      [element({ restrictions: { reservation: 'RESERVATION' } }), '/elements/0/priceComponents/0/type', /reservation/],
      [{ ...base, minPrice: { exclVat: '5' }, maxPrice: { exclVat: '2' } }, '/maxPrice/exclVat', /minPrice/],
      [{ ...base, minPrice: { excl: '5' } }, '/minPrice/excl', /unknown field/],
      [{ ...base, taxIncluded: 'YES' }, '/taxIncluded', /true or false/],
      [{ ...base, startDateTime: 'tomorrow' }, '/startDateTime', /ISO 8601/],
      [{ ...base, startDateTime: '2026-02-01T00:00:00Z', endDateTime: '2026-01-01T00:00:00Z' }, '/endDateTime', /after/],
    ];
    for (const [input, path, problem] of cases) {
      const result = checkTariff(input);
      assert.equal(result.ok, false, JSON.stringify(input));
      if (!result.ok) {
        assert.equal(result.path, path, JSON.stringify(input));
        assert.match(result.problem, problem, JSON.stringify(input));
      }
    }
  });

  test('problems in an OCPI body are named with OCPI paths', () => {
    const bad = (body: unknown) => {
      const result = fromOcpi(body);
      assert.equal(result.ok, false);
      return result.ok ? '' : result.path;
    };
    assert.equal(bad({ ...OCPI_221, elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, step_size: -1 }] }] }), '/elements/0/price_components/0/step_size');
    assert.equal(bad({ ...OCPI_221, elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, step_size: 1 }], restrictions: { day_of_week: ['FUNDAY'] } }] }), '/elements/0/restrictions/day_of_week/0');
    assert.equal(bad({ ...OCPI_230, min_price: { before_taxes: -1 } }), '/min_price/before_taxes');
    assert.equal(bad({ ...OCPI_221, min_price: { excl_vat: 'x' } }), '/min_price/excl_vat');
    assert.equal(bad({ ...OCPI_230, tax_included: 'MAYBE' }), '/tax_included');
    assert.equal(bad({ ...OCPI_221, tariff_alt_text: 'hello' }), '/tariff_alt_text');
    assert.equal(bad([]), '');
  });
});
