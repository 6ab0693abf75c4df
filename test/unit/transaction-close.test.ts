import { test } from 'node:test';
import assert from 'node:assert/strict';
import { energyWh, estimateClose, forceClosed, mergeObservation, type Transaction } from '../../src/capabilities/transactions/transaction.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10) + minute * 60_000);
const reading = (minute: number, wh: number) => ({ at: t(minute), measurand: 'Energy.Active.Import.Register', phase: null, location: null, context: null, value: wh, unit: 'Wh' });
const ctx = { newId: 'tx-1', now: t(0), stationId: 'S', tenantId: 'default', ocppVersion: '1.6' };

function open(): Transaction {
  const started = mergeObservation(null, { kind: 'started', ocppTransactionId: '7', at: t(0), evseId: 1, connectorId: 1, registerWh: 1000, offline: false, samples: [] }, ctx);
  return mergeObservation(started, { kind: 'updated', ocppTransactionId: '7', at: t(20), offline: false, samples: [reading(20, 4000)] }, ctx);
}

test('estimate: the last meter value when nothing later is known', () => {
  const e = estimateClose(open(), { maxReading: null, nextStart: null, endedAt: null });
  assert.deepEqual(e, { meterStopWh: 4000, stoppedAt: t(20), source: 'last-meter-value' });
});

test('estimate: the next transaction\'s start reading on the EVSE counts the energy after the last sample', () => {
  const e = estimateClose(open(), { maxReading: { wh: 4000, at: t(20) }, nextStart: { wh: 4600, at: t(50) }, endedAt: t(31) });
  assert.deepEqual(e, { meterStopWh: 4600, stoppedAt: t(31), source: 'next-transaction-start' });
});

test('estimate: a next start below our last reading (meter replaced) is ignored', () => {
  const e = estimateClose(open(), { maxReading: null, nextStart: { wh: 10, at: t(50) }, endedAt: null });
  assert.equal(e.source, 'last-meter-value');
  assert.equal(e.meterStopWh, 4000);
});

test('estimate: readings below the start (meter went backwards) are not evidence; the highest good one is', () => {
  const tx = { ...open(), lastMeterWh: 300, lastMeterAt: t(25) };
  const e = estimateClose(tx, { maxReading: { wh: 4000, at: t(20) }, nextStart: null, endedAt: null });
  assert.equal(e.meterStopWh, 4000);
});

test('estimate: no reading at all gives zero energy, not a guess', () => {
  const started = mergeObservation(null, { kind: 'started', ocppTransactionId: '7', at: t(0), evseId: 1, registerWh: 1000, offline: false, samples: [] }, ctx);
  const e = estimateClose({ ...started, lastMeterWh: null, lastMeterAt: null }, { maxReading: null, nextStart: null, endedAt: null });
  assert.equal(e.source, 'no-reading');
  assert.equal(energyWh(forceClosed(started, e, 'stuck', t(40))!), 0);
});

test('force close: completed, reason stuck, flags stuck + estimated; a late real stop corrects the same record', () => {
  const closed = forceClosed(open(), { meterStopWh: 4000, stoppedAt: t(20), source: 'last-meter-value' }, 'stuck', t(40))!;
  assert.equal(closed.state, 'completed');
  assert.equal(closed.stopReason, 'stuck');
  assert.deepEqual(closed.flags, ['stuck', 'estimated']);
  assert.equal(energyWh(closed), 3000);
  const late = mergeObservation(closed, { kind: 'ended', ocppTransactionId: '7', at: t(35), registerWh: 5200, stopReason: 'Local', offline: true, samples: [] }, ctx);
  assert.equal(late.id, closed.id);
  assert.equal(late.stoppedAt?.getTime(), t(35).getTime());
  assert.equal(late.stopReason, 'Local');
  assert.equal(energyWh(late), 4200);
  assert.deepEqual(late.flags, ['stuck'], 'no longer estimated; stuck stays as history');
});

test('a stop the station sent is never force closed: an implausible reading stays the station\'s, flagged, with the highest reading beside it', () => {
  const stopped = mergeObservation(open(), { kind: 'ended', ocppTransactionId: '7', at: t(30), registerWh: 200, stopReason: 'Local', offline: false, samples: [] }, ctx);
  assert.deepEqual(stopped.flags, ['meter-went-backwards']);
  assert.deepEqual([stopped.meterStartWh, stopped.meterStopWh, stopped.highestMeterWh], [1000, 200, 4000]);
  assert.equal(energyWh(stopped), null, 'energy unknown, not invented');
  assert.equal(forceClosed(stopped, estimateClose(stopped, { maxReading: { wh: 4000, at: t(20) }, nextStart: null, endedAt: null }), 'stuck', t(40)), null);
});

test('a register that goes down mid-session is flagged even when the stop stays above the start; the stop reading is kept', () => {
  const down = mergeObservation(open(), { kind: 'updated', ocppTransactionId: '7', at: t(25), offline: false, samples: [reading(25, 3500)] }, ctx);
  assert.deepEqual(down.flags, ['meter-went-backwards']);
  const stopped = mergeObservation(down, { kind: 'ended', ocppTransactionId: '7', at: t(30), registerWh: 3600, stopReason: 'Local', offline: false, samples: [] }, ctx);
  assert.deepEqual(stopped.flags, ['meter-went-backwards'], 'stays flagged');
  assert.deepEqual([stopped.meterStopWh, stopped.highestMeterWh, energyWh(stopped)], [3600, 4000, 2600]);
});
