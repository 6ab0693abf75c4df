/**
 * REST of payments at OCPP 2.1 stations: a station's settlements (what its payment terminal took)
 * for operators (`billing:read`), and the body of the `notifyWebPaymentStarted` command kind.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { Nullable } from '../../http/http-schemas.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { WEB_PAYMENT_TIMEOUT_SEC, type SettlementView } from './payment-settlement.ts';
import type { SettlementService } from './payment-settlement-service.ts';

export const WEB_PAYMENT_STARTED_REST = {
  description: `Tell a 2.1 station that a web payment started at an EVSE (NotifyWebPaymentStarted; docs/payments.md). Sent by the CSMS before a pay-page session's remote start to stations labelled webPaymentDisplay=true`,
  properties: {
    evseId: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: 'The EVSE the driver pays for' }),
    timeout: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: `Seconds after which the station should expect no result of the payment; default ${WEB_PAYMENT_TIMEOUT_SEC}` })),
  },
};

const Address = Type.Object({
  name: Type.String(),
  address1: Type.String(),
  address2: Type.Optional(Type.String()),
  city: Type.String(),
  postalCode: Type.Optional(Type.String()),
  country: Type.String(),
});

const SettlementBody = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  transactionId: Nullable(Type.String({ description: 'Our transaction, when the station\'s id names one it reported' })),
  ocppTransactionId: Nullable(Type.String({ description: 'The station\'s transaction id as sent; null: cancelled before the transaction started' })),
  pspRef: Type.String({ description: 'The payment service provider\'s reference (also the session\'s idToken)' }),
  status: Type.String({ description: 'settled, canceled, rejected or failed' }),
  statusInfo: Nullable(Type.String()),
  amount: Type.String({ description: 'Settled or attempted, decimal text in the station\'s currency (0 for a session cancelled before any cost)' }),
  settledAt: Type.String({ format: 'date-time' }),
  receiptId: Nullable(Type.String()),
  receiptUrl: Nullable(Type.String()),
  vatNumber: Nullable(Type.String()),
  vatCompany: Nullable(Address),
  receivedAt: Type.String({ format: 'date-time' }),
});

function toBody(s: SettlementView): Static<typeof SettlementBody> {
  return {
    id: s.id,
    stationId: s.stationId,
    transactionId: s.transactionId,
    ocppTransactionId: s.ocppTransactionId,
    pspRef: s.pspRef,
    status: s.status,
    statusInfo: s.statusInfo,
    amount: s.amount,
    settledAt: s.settledAt.toISOString(),
    receiptId: s.receiptId,
    receiptUrl: s.receiptUrl,
    vatNumber: s.vatNumber,
    vatCompany: s.vatCompany,
    receivedAt: s.receivedAt.toISOString(),
  };
}

export function settlementRoutes(service: SettlementService) {
  return (app: HttpApp): void => {
    app.get(
      '/stations/:id/settlements',
      {
        config: { access: { permission: 'billing:read', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags: ['payments'],
          summary: 'What the station\'s payment terminal settled (OCPP 2.1 NotifySettlement), newest first',
          params: Type.Object({ id: Type.String({ pattern: stationIdPattern }) }),
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
          response: { 200: Type.Object({ items: Type.Array(SettlementBody), total: Type.Integer() }), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const { items, total } = await service.list(scopeOf(request), request.params.id, request.query);
        return { items: items.map(toBody), total };
      },
    );
  };
}
