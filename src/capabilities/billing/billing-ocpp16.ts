/**
 * OCPP 1.6 <-> running cost: the OCA "OCPP & California Pricing Requirements" extension, carried
 * by DataTransfer (vendorId org.openchargealliance.costmsg; RunningCost while a session runs,
 * FinalCost at its end), sent only to stations whose read-only configuration key
 * CustomDisplayCostAndPrice is true.
 *
 * THE ONE PLACE for the extension's words. They were not read in the OCA whitepaper itself (not
 * available to us): they agree in two open implementations (a CSMS's type definitions and a
 * station firmware's parser of these messages) and in a published copy of the whitepaper's field
 * tables, so they are kept here alone, to change in one edit when checked against the original
 * (docs/billing.md, "Running cost to stations").
 */
import { ocppCall } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type TranslatedCommand } from '../commands/index.ts';
import type { DriverCostParams, UnitPrices } from './billing-running-cost.ts';

export const COSTMSG = {
  vendorId: 'org.openchargealliance.costmsg',
  /** The 1.6 configuration key by which a station says it shows cost and price (read-only, "true"). */
  displayKey: 'CustomDisplayCostAndPrice',
  runningCost: 'RunningCost',
  finalCost: 'FinalCost',
  /** RunningCost.state: which prices apply now. */
  states: { charging: 'Charging', idle: 'Idle' },
} as const;

/** 1.6 DataTransfer answers by which a station took the message. */
const ACCEPTED: ReadonlySet<string> = new Set(['Accepted']);
/** A 1.6 transactionId is an integer (the CSMS issued it). */
const INTEGER = /^-?\d{1,10}$/;
const cannot = (error: string): TranslatedCommand => ({ ok: false, error });

/** ChargingPrice {kWhPrice, hourPrice, flatFee}: only the components the tariff has. */
function chargingPrice(prices: UnitPrices | undefined): Record<string, number> {
  return {
    ...(prices?.perKwh !== undefined ? { kWhPrice: prices.perKwh } : {}),
    ...(prices?.perHour !== undefined ? { hourPrice: prices.perHour } : {}),
    ...(prices?.flat !== undefined ? { flatFee: prices.flat } : {}),
  };
}

/** The `data` object of the message (DataTransfer carries it JSON-encoded: 1.6 data is a string). */
export function driverCostData(p: DriverCostParams & { ocppTransactionId: string }): Record<string, unknown> {
  const transactionId = Number(p.ocppTransactionId);
  if (p.message === 'finalCost') return { transactionId, cost: p.cost, priceText: p.priceText ?? '' };
  return {
    transactionId,
    timestamp: p.at,
    meterValue: Math.round(p.meterWh ?? 0),
    cost: p.cost,
    state: COSTMSG.states[p.state ?? 'charging'],
    chargingPrice: chargingPrice(p.prices),
  };
}

export function driverCostCall16(p: DriverCostParams): TranslatedCommand {
  if (p.ocppTransactionId === undefined) return cannot('the station\'s transaction id is resolved at submission; it is missing');
  if (!INTEGER.test(p.ocppTransactionId)) return cannot(`an OCPP 1.6 transactionId is an integer; ${p.ocppTransactionId} is not`);
  if (p.message === 'runningCost' && p.at === undefined) return cannot('a runningCost message needs the time of its meter reading');
  const payload = {
    vendorId: COSTMSG.vendorId,
    messageId: p.message === 'finalCost' ? COSTMSG.finalCost : COSTMSG.runningCost,
    data: JSON.stringify(driverCostData({ ...p, ocppTransactionId: p.ocppTransactionId })),
  };
  return commandCall(
    ocppCall('1.6', 'DataTransfer', payload, (answer) => (answer.data !== undefined ? { status: answer.status, data: answer.data } : { status: answer.status })),
    ACCEPTED,
  );
}

/** Whether a 1.6 configuration value says the station displays cost and price. */
export function displaysCost16(value: string | null): boolean {
  return value !== null && value.trim().toLowerCase() === 'true';
}
