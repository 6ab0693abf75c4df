/** Billing core: how stored samples become the engine's usage, and how CDRs are corrected (never edited). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usageOf } from '../../src/capabilities/billing/billing-usage.ts';
import { recordsToAdd, currentDebit, type CdrDraft } from '../../src/capabilities/billing/billing-cdr.ts';

const t = (m: number) => new Date(Date.UTC(2026, 11, 8, 8, m));

test('usage: the register total per instant, power, current summed over phases, start and stop readings added', () => {
  const usage = usageOf({
    timeZone: 'UTC',
    startedAt: t(0),
    endsAt: t(60),
    startWh: 1000,
    stopWh: 9000,
    samples: [
      { at: t(30), measurand: 'Energy.Active.Import.Register', phase: null, value: 5000 },
      { at: t(30), measurand: 'Energy.Active.Import.Register', phase: 'L1', value: 1700 },
      { at: t(30), measurand: 'Power.Active.Import', phase: null, value: 11000 },
      { at: t(30), measurand: 'Current.Import', phase: 'L1', value: 16 },
      { at: t(30), measurand: 'Current.Import', phase: 'L2', value: 16 },
      { at: t(30), measurand: 'Current.Import', phase: 'L3', value: 15.5 },
      { at: t(45), measurand: 'Power.Active.Import', phase: null, value: 7000 },
      { at: t(90), measurand: 'Energy.Active.Import.Register', phase: null, value: 99_999 },
    ],
  });
  assert.deepEqual(usage.samples, [
    { at: t(0).getTime(), energyWh: 1000 },
    { at: t(30).getTime(), energyWh: 5000, powerW: 11000, currentA: 47.5 },
    { at: t(60).getTime(), energyWh: 9000 },
  ], 'a power-only instant and a sample after the end are left out');
});

test('usage: a stop stamped at the start\'s instant still delivered its energy', () => {
  const usage = usageOf({ timeZone: 'UTC', startedAt: t(0), endsAt: t(0), startWh: 0, stopWh: 4000, samples: [] });
  assert.deepEqual(usage.samples.map((s) => s.energyWh), [0, 4000]);
});

const draft = (over: Partial<CdrDraft> = {}): CdrDraft => ({
  tenantId: 'default', transactionId: 'tx', transactionVersion: 3, stationId: 'S', evseId: 1, connectorId: 1, idToken: 'T',
  startedAt: t(0), stoppedAt: t(60), energyWh: '4000', currency: 'EUR', tariffId: 'T1', tariffVersion: 1,
  totalExclTax: '4.20', totalInclTax: '5.04', totalExclTaxMinor: 420, totalInclTaxMinor: 504, periods: [],
  meter: { startWh: 0, stopWh: 4000, highestWh: 4000, signed: [] }, estimated: true, ...over,
});

test('CDRs: the first debit; nothing when the bill is the same; a credit and a new debit when it changed', () => {
  let n = 0;
  const ids = { next: () => `cdr-${++n}` };
  const first = recordsToAdd([], draft(), ids, t(61));
  assert.deepEqual(first.map((c) => [c.id, c.sequence, c.kind]), [['cdr-1', 1, 'debit']]);
  assert.deepEqual(recordsToAdd(first, draft({ transactionVersion: 4 }), ids, t(62)), [], 'a new version billing the same adds nothing');
  const fix = recordsToAdd(first, draft({ energyWh: '6000', totalExclTax: '5.80', totalInclTax: '6.96', totalExclTaxMinor: 580, totalInclTaxMinor: 696, estimated: false }), ids, t(70));
  assert.deepEqual(fix.map((c) => [c.sequence, c.kind, c.corrects, c.energyWh, c.totalExclTax, c.totalInclTaxMinor]), [
    [2, 'credit', 'cdr-1', '-4000', '-4.20', -504],
    [3, 'debit', null, '6000', '5.80', 696],
  ]);
  assert.equal(currentDebit([...first, ...fix])?.id, fix[1]!.id);
  const back = recordsToAdd([...first, ...fix], draft(), ids, t(80));
  assert.deepEqual(back.map((c) => [c.sequence, c.kind, c.corrects]), [[4, 'credit', fix[1]!.id], [5, 'debit', null]], 'a later change corrects the debit in force');
  const unpriced = recordsToAdd([], draft({ currency: null, totalExclTax: null, totalInclTax: null, totalExclTaxMinor: null, totalInclTaxMinor: null }), ids, t(90));
  assert.equal(unpriced[0]!.totalExclTax, null);
});
