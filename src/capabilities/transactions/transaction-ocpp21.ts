/**
 * OCPP 2.1 <-> transactions. TransactionEvent keeps the 2.0.1 fields this
 * capability reads (OCPP 2.1 Part 2 E01-E15), so the 2.0.1 translation serves,
 * final totalCost included. One 2.1 field is kept beside it: the station's own
 * cost of the session (costDetails, sent by a station that prices locally), in
 * neutral words in the event's summary (`stationCost`), for the tariffs
 * capability to check against the CDR. The other new cost/limit fields are ignored.
 */
import type { OcppHandlerTable, OcppRequest } from '../../ocpp/ocpp-handler.ts';
import { transactionHandlers2x } from './transaction-ocpp201.ts';
import type { TransactionService } from './transaction-service.ts';

type CostDetails21 = NonNullable<OcppRequest<'2.1', 'TransactionEvent'>['costDetails']>;

/** Amounts as decimal text (JSON numbers read through their shortest text: the decimal the station wrote). */
const amount = (value: number | undefined): string | null => (value === undefined ? null : String(value));

/**
 * OCPP 2.1 schema, TransactionEventRequest.costDetails: totalCost {currency, typeOfCost,
 * total {exclTax, inclTax}}, totalUsage {energy (Wh), chargingTime (the whole session, s), idleTime (s)},
 * failureToCalculate, failureReason; chargingPeriods name the tariff each period was priced by.
 */
export function stationCostOf21(cost: CostDetails21): Record<string, unknown> {
  const tariffIds = [...new Set((cost.chargingPeriods ?? []).flatMap((p) => (p.tariffId === undefined ? [] : [p.tariffId])))];
  return {
    currency: cost.totalCost.currency,
    typeOfCost: cost.totalCost.typeOfCost,
    totalExclTax: amount(cost.totalCost.total.exclTax),
    totalInclTax: amount(cost.totalCost.total.inclTax),
    failureToCalculate: cost.failureToCalculate === true,
    failureReason: cost.failureReason ?? null,
    tariffIds,
    energyWh: amount(cost.totalUsage.energy),
    durationSec: cost.totalUsage.chargingTime,
    idleSec: cost.totalUsage.idleTime,
  };
}

export function transactionHandlers21(service: TransactionService): OcppHandlerTable<'2.1'> {
  return {
    version: '2.1',
    owner: 'transactions',
    handlers: transactionHandlers2x(service, {
      summaryOf: (req) => ('costDetails' in req && req.costDetails ? { stationCost: stationCostOf21(req.costDetails) } : {}),
      // OCPP 2.1 schema, TransactionEventResponse.transactionLimit (TransactionLimitType.maxCost: "Maximum allowed
      // cost of transaction in currency of tariff"): the station itself stops a paid session at what its hold covers.
      answerOf: async (req, transaction) => {
        if (req.eventType === 'Ended') return {};
        const limit = await service.limitFor(transaction);
        return limit ? { transactionLimit: { maxCost: limit.maxCost } } : {};
      },
    }),
  };
}
