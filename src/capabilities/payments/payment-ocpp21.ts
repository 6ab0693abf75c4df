/**
 * OCPP 2.1 <-> payments at the station (ad-hoc payment): NotifySettlement and VatNumberValidation
 * from the station, NotifyWebPaymentStarted to it (the `notifyWebPaymentStarted` command kind).
 * Field meanings from the official 2.1 JSON schema. 1.6 and 2.0.1 have none of these messages.
 */
import { ocppCall, type OcppHandlerTable, type OcppRequest } from '../../ocpp/ocpp-handler.ts';
import { stationTime } from '../../kernel/time.ts';
import { commandCall, type CommandAnswer, type TranslatedCommand } from '../commands/index.ts';
import { WEB_PAYMENT_TIMEOUT_SEC, type SettlementReport, type SettlementStatus, type WebPaymentStartedParams } from './payment-settlement.ts';
import type { SettlementService } from './payment-settlement-service.ts';

type Settlement21 = OcppRequest<'2.1', 'NotifySettlement'>;

const STATUSES: Readonly<Record<Settlement21['status'], SettlementStatus>> = { Settled: 'settled', Canceled: 'canceled', Rejected: 'rejected', Failed: 'failed' };

/** OCPP 2.1 schema, NotifySettlementRequest. settlementAmount: what was settled or attempted; transactionId absent: cancelled before the transaction started. */
export function settlementFrom21(req: Settlement21, receivedAt: Date): SettlementReport {
  return {
    ocppTransactionId: req.transactionId ?? null,
    pspRef: req.pspRef,
    status: STATUSES[req.status],
    statusInfo: req.statusInfo ?? null,
    // A JSON number read through its shortest text: the decimal the station wrote.
    amount: String(req.settlementAmount),
    settledAt: stationTime(req.settlementTime, receivedAt),
    receiptId: req.receiptId ?? null,
    receiptUrl: req.receiptUrl ?? null,
    vatNumber: req.vatNumber ?? null,
    vatCompany: req.vatCompany
      ? {
          name: req.vatCompany.name,
          address1: req.vatCompany.address1,
          ...(req.vatCompany.address2 !== undefined ? { address2: req.vatCompany.address2 } : {}),
          city: req.vatCompany.city,
          ...(req.vatCompany.postalCode !== undefined ? { postalCode: req.vatCompany.postalCode } : {}),
          country: req.vatCompany.country,
        }
      : null,
  };
}

export function paymentHandlers21(service: SettlementService): OcppHandlerTable<'2.1'> {
  return {
    version: '2.1',
    owner: 'payments',
    handlers: {
      NotifySettlement: async (ctx, req) => {
        await service.record({ stationId: ctx.stationId, tenantId: ctx.tenantId, receivedAt: ctx.receivedAt }, settlementFrom21(req, ctx.receivedAt));
        // OCPP 2.1 schema, NotifySettlementResponse: receiptUrl / receiptId only when the CSMS made the receipt; this one makes none.
        return {};
      },
      // This CSMS keeps no VAT register: it says so (OCPP 2.1 reason code UnsupportedRequest) rather
      // than answer NotSupported, so the station can fall back to a receipt without a company.
      VatNumberValidation: (_ctx, req) => ({
        vatNumber: req.vatNumber,
        ...(req.evseId !== undefined ? { evseId: req.evseId } : {}),
        status: 'Rejected',
        statusInfo: { reasonCode: 'UnsupportedRequest', additionalInfo: 'this CSMS does not validate VAT numbers' },
      }),
    },
  };
}

/** The CALLRESULT itself is the acknowledgement (NotifyWebPaymentStartedResponse has no field). */
const ACKNOWLEDGED = 'Accepted';

/** OCPP 2.1 schema, NotifyWebPaymentStartedRequest: evseId, timeout (s after which no result of the web payment is to be expected). */
export function webPaymentStartedCall21(p: WebPaymentStartedParams): TranslatedCommand {
  return commandCall(
    ocppCall('2.1', 'NotifyWebPaymentStarted', { evseId: p.evseId, timeout: p.timeout ?? WEB_PAYMENT_TIMEOUT_SEC }, () => ({ status: ACKNOWLEDGED }) as CommandAnswer),
    new Set([ACKNOWLEDGED]),
  );
}
