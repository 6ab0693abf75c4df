/** The money page's view logic (web/src/lib/money.ts): the period, the money at stake, CDR figures. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { atStakeRows, cdrTotal, formatAmount, kindLabel, kwh, periodQuery, reconciliationCsvName, yesterdayUtc } from '../../web/src/lib/money.ts';

describe('money page logic', () => {
  test('the default period is yesterday in UTC, whatever the hour', () => {
    assert.deepEqual(yesterdayUtc(Date.parse('2026-12-08T00:30:00Z')), { from: '2026-12-07', to: '2026-12-07' });
    assert.deepEqual(yesterdayUtc(Date.parse('2026-03-01T23:59:59Z')), { from: '2026-02-28', to: '2026-02-28' });
  });

  test("the form's inclusive days become the API's half-open period", () => {
    assert.deepEqual(periodQuery('2026-12-07', '2026-12-07'), { from: '2026-12-07T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' });
    assert.deepEqual(periodQuery('2026-12-01', '2026-12-31'), { from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
    assert.deepEqual(periodQuery('2026-12-08', '2026-12-07'), { problem: 'The period ends before it starts.' });
    assert.deepEqual(periodQuery('', '2026-12-07'), { problem: 'Pick both days of the period.' });
    assert.deepEqual(periodQuery('2026-13-45', '2026-12-07'), { problem: 'Pick both days of the period.' });
  });

  test('money at stake: one row per found kind and currency; a kind of unknown amount keeps its count', () => {
    const rows = atStakeRows({
      count: 4,
      byKind: {
        'delivered-not-billed': { count: 2, byCurrency: {} },
        'billed-not-delivered': { count: 0, byCurrency: {} },
        'capture-mismatch': { count: 2, byCurrency: { USD: { amount: '1.00', amountMinor: 100 }, EUR: { amount: '0.50', amountMinor: 50 } } },
      },
    });
    assert.deepEqual(rows, [
      { kind: 'delivered-not-billed', count: 2, currency: null, amount: null },
      { kind: 'capture-mismatch', count: 2, currency: 'EUR', amount: '0.50' },
      { kind: 'capture-mismatch', count: 2, currency: 'USD', amount: '1.00' },
    ]);
    assert.deepEqual(atStakeRows({ count: 0, byKind: { uncollected: { count: 0, byCurrency: {} } } }), []);
  });

  test('amounts, kinds and CDR figures as operators read them', () => {
    assert.equal(formatAmount('0.50', 'EUR'), '0.50 EUR');
    assert.equal(formatAmount('0', null, false), 'unknown', 'an unpriced item is not shown as zero');
    assert.equal(formatAmount('0', 'EUR', false), 'unknown');
    assert.equal(kindLabel('delivered-not-billed'), 'Delivered, not billed');
    assert.equal(kindLabel('hold-never-released'), 'Hold never released');
    assert.equal(kindLabel('uncollected'), 'Uncollected');
    assert.equal(kwh('1500'), '1.500');
    assert.equal(kwh('-4000'), '-4.000');
    assert.equal(kwh('x'), '—');
    assert.equal(cdrTotal({ totalCost: { currency: 'EUR', exclTax: '6.00', inclTax: '7.20' } }), '7.20 EUR');
    assert.equal(cdrTotal({ totalCost: null }), 'not priced');
  });

  test('the CSV file name names the period', () => {
    assert.equal(reconciliationCsvName('2026-12-07', '2026-12-07'), 'reconciliation-2026-12-07.csv');
    assert.equal(reconciliationCsvName('2026-12-01', '2026-12-07'), 'reconciliation-2026-12-01-to-2026-12-07.csv');
  });
});
