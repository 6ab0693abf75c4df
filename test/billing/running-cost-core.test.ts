/**
 * The pure rules of the running cost (billing-running-cost.ts) and the wire it becomes
 * (billing-ocpp16/201.ts): when an update is due, when it is worth sending, the unit prices a
 * station shows, and the California pricing message's fields in their one place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costChanged, finalPriceText, runningCostDue, unitPricesOf } from '../../src/capabilities/billing/billing-running-cost.ts';
import { COSTMSG, driverCostCall16, displaysCost16 } from '../../src/capabilities/billing/billing-ocpp16.ts';
import { costUpdatedCall201 } from '../../src/capabilities/billing/billing-ocpp201.ts';
import type { CostPeriod, TariffModel } from '../../src/capabilities/tariffs/index.ts';

const T0 = new Date('2026-12-08T08:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

test('an update is due first, then only once the interval has passed; 0 switches it off', () => {
  assert.equal(runningCostDue(undefined, T0, 60_000), true);
  const last = { at: T0, total: '1.20' };
  assert.equal(runningCostDue(last, later(59_999), 60_000), false);
  assert.equal(runningCostDue(last, later(60_000), 60_000), true);
  assert.equal(runningCostDue(undefined, T0, 0), false);
});

test('a due update is sent only when the total moved (compared as decimals)', () => {
  assert.equal(costChanged(undefined, '0.00'), true);
  assert.equal(costChanged({ at: T0, total: '1.20' }, '1.2'), false);
  assert.equal(costChanged({ at: T0, total: '1.20' }, '1.21'), true);
});

test('unit prices: the elements the engine chose in the latest period, tax added unless included', () => {
  const tariff: TariffModel = {
    currency: 'EUR',
    elements: [
      { priceComponents: [{ type: 'ENERGY', price: '0.40', vat: '20', stepSize: 1 }], restrictions: { startTime: '18:00', endTime: '22:00' } },
      { priceComponents: [{ type: 'ENERGY', price: '0.30', vat: '20', stepSize: 1 }, { type: 'TIME', price: '2', vat: '20', stepSize: 1 }, { type: 'FLAT', price: '1', stepSize: 1 }] },
    ],
  };
  const period = (elements: CostPeriod['elements']) => ({ elements }) as CostPeriod;
  assert.deepEqual(unitPricesOf(tariff, period({ ENERGY: 1, TIME: 1, FLAT: 1 })), { perKwh: 0.36, perHour: 2.4, flat: 1 });
  assert.deepEqual(unitPricesOf(tariff, period({ ENERGY: 0 })), { perKwh: 0.48 });
  assert.deepEqual(unitPricesOf({ ...tariff, taxIncluded: true }, period({ ENERGY: 0 })), { perKwh: 0.4 });
  assert.deepEqual(unitPricesOf(tariff, undefined), {});
});

test('the final text names the total, the currency and the energy', () => {
  assert.equal(finalPriceText('7.20', 'EUR', '10000'), 'Total 7.20 EUR, 10 kWh');
  assert.equal(finalPriceText('7.2', null, null), 'Total 7.2');
});

test('1.6: RunningCost and FinalCost as DataTransfer of the costmsg vendor, data JSON-encoded with the whitepaper\'s fields', () => {
  const running = driverCostCall16({ transactionId: 'ours', ocppTransactionId: '42', message: 'runningCost', cost: 4.2, meterWh: 15000, at: T0.toISOString(), state: 'charging', prices: { perKwh: 0.36, perHour: 2.4 } });
  assert.ok(running.ok);
  const payload = running.call.payload as { vendorId: string; messageId: string; data: string };
  assert.deepEqual([payload.vendorId, payload.messageId], ['org.openchargealliance.costmsg', 'RunningCost']);
  assert.deepEqual(JSON.parse(payload.data), {
    transactionId: 42, timestamp: T0.toISOString(), meterValue: 15000, cost: 4.2, state: 'Charging', chargingPrice: { kWhPrice: 0.36, hourPrice: 2.4 },
  });
  const final = driverCostCall16({ transactionId: 'ours', ocppTransactionId: '42', message: 'finalCost', cost: 7.2, priceText: 'Total 7.20 EUR' });
  assert.ok(final.ok);
  const finalPayload = final.call.payload as { messageId: string; data: string };
  assert.equal(finalPayload.messageId, 'FinalCost');
  assert.deepEqual(JSON.parse(finalPayload.data), { transactionId: 42, cost: 7.2, priceText: 'Total 7.20 EUR' });
  assert.equal(final.call.read({ status: 'Accepted' }).accepted, true);
  assert.equal(final.call.read({ status: 'UnknownVendorId' }).accepted, false);

  const notInteger = driverCostCall16({ transactionId: 'x', ocppTransactionId: 'abc', message: 'finalCost', cost: 1 });
  assert.ok(!notInteger.ok && /integer/.test(notInteger.error));
  assert.equal(COSTMSG.displayKey, 'CustomDisplayCostAndPrice');
  assert.deepEqual([displaysCost16('true'), displaysCost16(' TRUE '), displaysCost16('false'), displaysCost16(null)], [true, true, false, false]);
});

test('2.0.1: CostUpdated carries the number and the station\'s transaction id; an empty answer is the acknowledgement', () => {
  const call = costUpdatedCall201({ transactionId: 'ours', ocppTransactionId: 'tx-1', totalCost: 4.2 });
  assert.ok(call.ok);
  assert.deepEqual([call.call.action, call.call.payload], ['CostUpdated', { totalCost: 4.2, transactionId: 'tx-1' }]);
  assert.deepEqual(call.call.read({}), { answer: { status: 'Accepted' }, accepted: true });
  const long = costUpdatedCall201({ transactionId: 'ours', ocppTransactionId: 'x'.repeat(37), totalCost: 1 });
  assert.ok(!long.ok);
});
