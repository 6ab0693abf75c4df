/**
 * Payments made at the station (OCPP 2.1 ad-hoc payment), the pure part.
 *
 * - A station with a payment terminal settles a session itself and tells the CSMS
 *   (NotifySettlement): kept as received, per station, with the station's transaction id, so an
 *   operator sees what the terminal took beside the CDR. A session cancelled after the payment
 *   was authorized but before any cost ends with total cost 0 and a settlement of 0 (Canceled, or
 *   Settled with 0); one cancelled before the transaction even started names no transaction.
 * - A driver who pays on our pay page at a 2.1 station with a display: the station is told that a
 *   web payment started at the EVSE (NotifyWebPaymentStarted, CSMS -> station), so it shows it and
 *   expects the remote start that follows.
 * Wire words are payment-ocpp21.ts's; these are the API's.
 */
import { isZero, parseDecimal } from '../../kernel/decimal.ts';

/** OCPP 2.1 PaymentStatusEnumType in the API's words. */
export type SettlementStatus = 'settled' | 'canceled' | 'rejected' | 'failed';
export const SETTLEMENT_STATUSES: readonly SettlementStatus[] = ['settled', 'canceled', 'rejected', 'failed'];

/** A company address for a VAT receipt (OCPP 2.1 AddressType). */
export interface VatCompany {
  name: string;
  address1: string;
  address2?: string;
  city: string;
  postalCode?: string;
  country: string;
}

/** A settlement as the station reported it. */
export interface SettlementReport {
  /** The station's transaction id; null: cancelled before the transaction started. */
  ocppTransactionId: string | null;
  /** The payment service provider's reference, which the station also used as the idToken. */
  pspRef: string;
  status: SettlementStatus;
  statusInfo: string | null;
  /** What was settled, or attempted (decimal text, the station's currency). */
  amount: string;
  settledAt: Date;
  receiptId: string | null;
  receiptUrl: string | null;
  vatNumber: string | null;
  vatCompany: VatCompany | null;
}

export interface Settlement extends SettlementReport {
  id: string;
  tenantId: string;
  stationId: string;
  receivedAt: Date;
}

/** A settlement as an operator reads it: with our transaction when the station's id names one. */
export interface SettlementView extends Settlement {
  transactionId: string | null;
}

/** Whether a settlement took no money: nothing settled, or a settlement of 0 (the session cancelled before any cost). */
export function tookNoMoney(s: Pick<SettlementReport, 'status' | 'amount'>): boolean {
  const amount = parseDecimal(s.amount);
  return s.status !== 'settled' || amount === undefined || isZero(amount);
}

// --- NotifyWebPaymentStarted ------------------------------------------------------------------

/** The command type this capability contributes (ADR 23). */
export const WEB_PAYMENT_STARTED = 'notifyWebPaymentStarted';

export interface WebPaymentStartedParams extends Record<string, unknown> {
  evseId: number;
  /** Seconds after which the station should expect no result of the web payment; default WEB_PAYMENT_TIMEOUT_SEC. */
  timeout?: number;
}

export function checkWebPaymentStarted(p: WebPaymentStartedParams): string | null {
  return p.evseId < 1 ? 'evseId must be 1 or more: the EVSE the driver pays for' : null;
}

/** The station label that says a 2.1 station shows web payments on its display ("true"). */
export const WEB_PAYMENT_LABEL = 'webPaymentDisplay';

/**
 * How long a station waits for the result: the notice goes out when the pay page's payment is done
 * and the remote start is queued right behind it (one queue per station, in order), so the result
 * follows within a delivery; a minute also covers a slow link without blocking the EVSE for long.
 */
export const WEB_PAYMENT_TIMEOUT_SEC = 60;

/** The notice to send before a paid session's remote start, or null when the station should not get one. */
export function webPaymentNotice(station: { ocppVersion: string | null; labels: Readonly<Record<string, string>> }, evseId: number | null): WebPaymentStartedParams | null {
  if (station.ocppVersion !== '2.1' || evseId === null || evseId < 1) return null;
  if (station.labels[WEB_PAYMENT_LABEL]?.trim().toLowerCase() !== 'true') return null;
  return { evseId, timeout: WEB_PAYMENT_TIMEOUT_SEC };
}
