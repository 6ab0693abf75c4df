/**
 * Exact decimal arithmetic (src/kernel/decimal.ts): parsing without binary noise, exact rational
 * operations, half-up rounding on the final amount, and ISO 4217 minor units.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  add,
  ceilToMultiple,
  compare,
  currencyExponent,
  dec,
  div,
  eq,
  formatMoney,
  fromMinorUnits,
  isTerminating,
  mul,
  mulDiv,
  neg,
  parseDecimal,
  round,
  roundScaled,
  sub,
  sum,
  toDecimalString,
  toFixed,
  toMinorUnits,
} from '../../src/kernel/decimal.ts';

describe('decimal', () => {
  test('parses decimal text and JSON numbers exactly', () => {
    assert.equal(toDecimalString(dec('0.1')), '0.1');
    assert.equal(toDecimalString(add(dec(0.1), dec(0.2))), '0.3', 'no 0.30000000000000004');
    assert.equal(toDecimalString(dec('1.5e3')), '1500');
    assert.equal(toDecimalString(dec('-2.50')), '-2.5');
    assert.equal(toDecimalString(dec('.5')), '0.5');
    assert.equal(toDecimalString(dec('7.')), '7');
    assert.equal(toDecimalString(dec(1e-7)), '0.0000001');
    for (const bad of ['', 'abc', '1,5', '1.2.3', '.', 'e5', '--1', 'NaN']) assert.equal(parseDecimal(bad), undefined, bad);
    assert.equal(parseDecimal(Number.NaN), undefined);
    assert.equal(parseDecimal(Number.POSITIVE_INFINITY), undefined);
    assert.throws(() => dec('x'), /not a decimal number/);
  });

  test('add, subtract, multiply, divide stay exact; mulDiv keeps full precision', () => {
    assert.equal(toDecimalString(sub(dec('5.625'), dec('0.625'))), '5');
    assert.equal(toDecimalString(mul(dec('0.25'), dec('20.45'))), '5.1125');
    const third = div(dec(1), dec(3));
    assert.equal(isTerminating(third), false);
    assert.ok(eq(mul(third, dec(3)), dec(1)), '1/3 x 3 is exactly 1');
    // 1.90 per hour for 7 minutes: 1.90 x 420 / 3600 = 0.2216666...
    const cost = mulDiv(dec('1.90'), dec(420), dec(3600));
    assert.equal(toDecimalString(cost), '0.221666666667');
    assert.equal(toFixed(cost, 2), '0.22');
    assert.equal(toDecimalString(sum([third, third, third])), '1');
    assert.equal(compare(dec('0.10'), dec('0.1')), 0);
    assert.equal(compare(dec('-1'), dec('0')), -1);
    assert.throws(() => div(dec(1), dec(0)), /division by zero/);
  });

  test('half-up rounding goes away from zero on an exact half; other modes on request', () => {
    assert.equal(toFixed(dec('0.125'), 2), '0.13');
    assert.equal(toFixed(dec('-0.125'), 2), '-0.13');
    assert.equal(toFixed(dec('0.1249999'), 2), '0.12');
    assert.equal(toFixed(dec('2.5'), 0), '3');
    assert.equal(toFixed(dec('2.5'), 0, 'half-even'), '2');
    assert.equal(toFixed(dec('3.5'), 0, 'half-even'), '4');
    assert.equal(toFixed(dec('0.121'), 2, 'up'), '0.13');
    assert.equal(toFixed(dec('0.129'), 2, 'down'), '0.12');
    assert.equal(toFixed(dec('-0.001'), 2), '0.00');
    assert.equal(roundScaled(dec('13.975'), 2), BigInt(1398));
    assert.equal(toDecimalString(round(div(dec(2), dec(3)), 4)), '0.6667');
  });

  test('ceilToMultiple rounds up to the step (OCPI step sizes)', () => {
    assert.equal(toDecimalString(ceilToMultiple(dec('115.2'), dec(1))), '116');
    assert.equal(toDecimalString(ceilToMultiple(dec('115.2'), dec(25))), '125');
    assert.equal(toDecimalString(ceilToMultiple(dec('115.2'), dec(500))), '500');
    assert.equal(toDecimalString(ceilToMultiple(dec('2400'), dec(900))), '2700');
    assert.equal(toDecimalString(ceilToMultiple(dec('2700'), dec(900))), '2700', 'an exact multiple stays');
    assert.equal(toDecimalString(ceilToMultiple(dec('0'), dec(900))), '0');
  });

  test('minor units follow ISO 4217 exponents', () => {
    const cases: Array<[string, string, number, string]> = [
      ['EUR', '5.625', 563, '5.63'],
      ['USD', '0.005', 1, '0.01'],
      ['GBP', '1', 100, '1.00'],
      ['CHF', '2.345', 235, '2.35'],
      ['SEK', '10.994', 1099, '10.99'],
      ['NOK', '0.5', 50, '0.50'],
      ['DKK', '3.333', 333, '3.33'],
      ['PLN', '1.995', 200, '2.00'],
      ['CZK', '12.5', 1250, '12.50'],
      ['HUF', '99.999', 10000, '100.00'],
      ['JPY', '370.5', 371, '371'],
      ['KRW', '1234.49', 1234, '1234'],
      ['BHD', '1.0005', 1001, '1.001'],
      ['KWD', '1.049325', 1049, '1.049'],
    ];
    for (const [currency, amount, minor, text] of cases) {
      assert.equal(toMinorUnits(dec(amount), currency), minor, `${currency} ${amount}`);
      assert.equal(formatMoney(dec(amount), currency), text, `${currency} ${amount}`);
    }
    assert.equal(currencyExponent('JPY'), 0);
    assert.equal(currencyExponent('KWD'), 3);
    assert.equal(currencyExponent('XXX'), undefined);
    assert.equal(currencyExponent('toString'), undefined, 'no prototype keys');
    assert.throws(() => toMinorUnits(dec(1), 'XXX'), /unknown currency/);
    assert.equal(toDecimalString(fromMinorUnits(1234, 'EUR')), '12.34');
    assert.equal(toDecimalString(fromMinorUnits(1049, 'KWD')), '1.049');
    assert.equal(toDecimalString(neg(fromMinorUnits(5, 'JPY'))), '-5');
  });
});
