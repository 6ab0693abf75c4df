/**
 * Issue 11: readings are compared within the precision each was written
 * with, energy is exact to the mWh, and the station's stop reading is kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differenceWh, lastDigitStep, provenBelow, resolutionWh, shiftDecimal, sumWh } from '../../src/kernel/energy.ts';
import { energyWh, mergeObservation, type Transaction, type TransactionObservation } from '../../src/capabilities/transactions/transaction.ts';
import { samplesFrom16 } from '../../src/capabilities/transactions/transaction-ocpp16.ts';
import { samplesFrom2x } from '../../src/capabilities/transactions/transaction-ocpp201.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
const ctx = { newId: 'tx-1', now: t(59), stationId: 'S', tenantId: 'default', ocppVersion: '1.6' };
const register16 = (minute: number, value: string, unit: 'Wh' | 'kWh' = 'Wh') => samplesFrom16([{ timestamp: t(minute).toISOString(), sampledValue: [{ value, unit, measurand: 'Energy.Active.Import.Register' }] }], t(minute));
const register2x = (minute: number, value: number, unit = 'Wh', multiplier?: number) =>
  samplesFrom2x([{ timestamp: t(minute).toISOString(), sampledValue: [{ value, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit, multiplier } }] }], t(minute));

test('decimal text is scaled without binary noise, and its last digit is its precision', () => {
  assert.equal(shiftDecimal('7.4', 3), 7400);
  assert.equal(shiftDecimal('4.2007', 3), 4200.7);
  assert.equal(shiftDecimal('1.5e3', 0), 1500);
  assert.ok(Number.isNaN(shiftDecimal('12,5', 0)));
  assert.deepEqual(['4200.7', '42', '4.201', '1.5e3', '0.10'].map(lastDigitStep), [0.1, 1, 0.001, 100, 0.01]);
  assert.equal(resolutionWh('4.201', 'kWh'), 1);
  assert.equal(resolutionWh('42', 'Wh', 2), 100);
  assert.equal(resolutionWh('4200.12345', 'Wh'), 0.001, 'never finer than the mWh kept');
  assert.equal(differenceWh(4200.7, 3700), 500.7);
  assert.equal(sumWh([0.1, 0.2]), 0.3);
});

test('a reading is below another only beyond both precisions', () => {
  const sample = { wh: 4200.7, resolutionWh: 0.1 };
  assert.equal(provenBelow({ wh: 4200, resolutionWh: 1 }, sample), false, 'integer stop truncated from 4200.7');
  assert.equal(provenBelow({ wh: 4199.7, resolutionWh: 1 }, sample), false);
  assert.equal(provenBelow({ wh: 4199.6, resolutionWh: 1 }, sample), true, 'a gap of 1.1 Wh is more than 1 + 0.1');
  assert.equal(provenBelow({ wh: 4198, resolutionWh: 1 }, sample), true);
  assert.equal(provenBelow({ wh: 4100, resolutionWh: 100 }, { wh: 4150, resolutionWh: 1 }), false, 'a coarse 2.x multiplier reading');
});

test('adapters keep the precision: 1.6 strings, kWh with decimals, 2.x multipliers', () => {
  assert.deepEqual(register16(0, '4200.7').map((s) => [s.value, s.resolutionWh]), [[4200.7, 0.1]]);
  assert.deepEqual(register16(0, '4.2007', 'kWh').map((s) => [s.value, s.resolutionWh]), [[4200.7, 0.1]]);
  assert.deepEqual(register16(0, '4.201', 'kWh').map((s) => [s.value, s.resolutionWh]), [[4201, 1]]);
  assert.deepEqual(register2x(0, 4.2007, 'kWh').map((s) => [s.value, s.resolutionWh]), [[4200.7, 0.1]]);
  assert.deepEqual(register2x(0, 42, 'Wh', 2).map((s) => [s.value, s.resolutionWh]), [[4200, 100]]);
  const power = samplesFrom16([{ timestamp: t(0).toISOString(), sampledValue: [{ value: '7.4', unit: 'kW', measurand: 'Power.Active.Import' }] }], t(0));
  assert.deepEqual(power.map((s) => [s.value, s.unit, s.resolutionWh]), [[7400, 'W', null]]);
});

function session16(stopWh: number, samples: ReturnType<typeof register16>, startWh = 3700): Transaction {
  const start: TransactionObservation = { kind: 'started', ocppTransactionId: '7', at: t(0), evseId: 1, registerWh: startWh, offline: false, samples: [] };
  const meter: TransactionObservation = { kind: 'updated', ocppTransactionId: '7', at: t(20), offline: false, samples };
  const stop: TransactionObservation = { kind: 'ended', ocppTransactionId: '7', at: t(30), registerWh: stopWh, stopReason: 'Local', offline: false, samples: [] };
  return [start, meter, stop].reduce<Transaction | null>((tx, obs) => mergeObservation(tx, obs, ctx), null) as Transaction;
}

test('the issue\'s case: a 1.6 integer stop below a decimal last sample is a normal stop with the station\'s reading', () => {
  const tx = session16(4200, register16(20, '4200.7'));
  assert.deepEqual([tx.state, tx.flags, tx.meterStopWh, energyWh(tx), tx.highestMeterWh], ['completed', [], 4200, 500, 4200.7]);
});

test('kWh with three decimals, rounded up by the station, then truncated in the stop: no flag', () => {
  const tx = session16(4200, register16(20, '4.201', 'kWh'));
  assert.deepEqual([tx.flags, tx.meterStopWh, energyWh(tx)], [[], 4200, 500]);
});

test('a stop truly below the last sample or below the start is flagged, both readings kept', () => {
  const below = session16(4150, register16(20, '4200.7'));
  assert.deepEqual([below.state, below.flags, below.meterStopWh, below.highestMeterWh, energyWh(below)], ['completed', ['meter-went-backwards'], 4150, 4200.7, 450]);
  const reset = session16(12, register16(20, '4200.7'));
  assert.deepEqual([reset.flags, reset.meterStartWh, reset.meterStopWh, reset.highestMeterWh, energyWh(reset)], [['meter-went-backwards'], 3700, 12, 4200.7, null]);
});

test('2.0.1 kWh readings: an Ended reading a rounding below an Updated one is not a decrease', () => {
  const obs = (kind: TransactionObservation['kind'], minute: number, kwh: number, seqNo: number): TransactionObservation => ({
    kind, ocppTransactionId: 'A', at: t(minute), seqNo, offline: false, samples: register2x(minute, kwh, 'kWh'), ...(kind === 'ended' ? { stopReason: 'Local' } : {}),
  });
  const events = [obs('started', 0, 3.7, 0), obs('updated', 10, 4.2007, 1), obs('ended', 20, 4.2, 2)];
  const tx = events.reduce<Transaction | null>((acc, o) => mergeObservation(acc, o, { ...ctx, ocppVersion: '2.0.1' }), null) as Transaction;
  assert.deepEqual([tx.flags, tx.meterStartWh, tx.meterStopWh, energyWh(tx)], [[], 3700, 4200, 500]);
  const fell = [obs('started', 0, 3.7, 0), obs('updated', 10, 4.2007, 1), obs('ended', 20, 4.1, 2)].reduce<Transaction | null>((acc, o) => mergeObservation(acc, o, ctx), null) as Transaction;
  assert.deepEqual(fell.flags, ['meter-went-backwards'], '4.1 kWh has a 100 Wh step; 100.7 Wh below 4200.7 is beyond 100 + 0.1');
});

test('energy is exact to the mWh: no binary noise in a difference', () => {
  const start: TransactionObservation = { kind: 'started', ocppTransactionId: '7', at: t(0), evseId: 1, registerWh: 3700, offline: false, samples: [] };
  const running = mergeObservation(mergeObservation(null, start, ctx), { kind: 'updated', ocppTransactionId: '7', at: t(25), offline: false, samples: register16(25, '4.2009', 'kWh') }, ctx);
  assert.equal(4200.9 - 3700 === 500.9, false, 'plain doubles would carry noise here');
  assert.equal(JSON.stringify(energyWh(running)), '500.9');
});
