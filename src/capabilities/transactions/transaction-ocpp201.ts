/**
 * OCPP 2.0.1 <-> transactions: TransactionEvent Started / Updated / Ended
 * (E01-E15). Events are keyed by (transactionId, seqNo), so replays and
 * duplicates merge idempotently; the CSMS never rejects a TransactionEvent.
 */
import { stationTime } from '../../kernel/time.ts';
import type { OcppHandlerTable, OcppRequest, OcppSharedHandlers } from '../../ocpp/ocpp-handler.ts';
import { normaliseSample, type MeterSample, type Transaction, type TransactionObservation } from './transaction.ts';
import type { TransactionService } from './transaction-service.ts';

export type Ocpp2x = '2.0.1' | '2.1';
export type TransactionEvent2x = OcppRequest<'2.0.1', 'TransactionEvent'> | OcppRequest<'2.1', 'TransactionEvent'>;
type MeterValue2x = NonNullable<TransactionEvent2x['meterValue']>[number];

/**
 * 2.x values are numbers with an optional power-of-ten multiplier (default unit Wh). Energy kept in Wh, power in W;
 * the multiplier is applied to the decimal text, so 4.2 kWh or 42 x 10^2 Wh carry no binary rounding noise.
 */
export function samplesFrom2x(meterValues: readonly MeterValue2x[] | undefined, receivedAt: Date): MeterSample[] {
  const samples: MeterSample[] = [];
  for (const mv of meterValues ?? []) {
    const at = stationTime(mv.timestamp, receivedAt);
    for (const sv of mv.sampledValue) {
      const sample = normaliseSample({ at, text: String(sv.value), multiplier: sv.unitOfMeasure?.multiplier ?? 0, unit: sv.unitOfMeasure?.unit, measurand: sv.measurand, phase: sv.phase, location: sv.location, context: sv.context });
      if (sample) samples.push(sample);
    }
  }
  return samples;
}

/** Sampled values carrying signedMeterValue (2.0.1 SignedMeterValueType), verbatim with their timestamp, for the CDR. */
export function signedFrom2x(meterValues: readonly MeterValue2x[] | undefined): Array<Record<string, unknown>> {
  return (meterValues ?? []).flatMap((mv) => mv.sampledValue.filter((sv) => sv.signedMeterValue !== undefined).map((sv) => ({ timestamp: mv.timestamp, ...sv })));
}

const KIND = { Started: 'started', Updated: 'updated', Ended: 'ended' } as const;

export function observationFrom2x(req: TransactionEvent2x, receivedAt: Date): TransactionObservation {
  const info = req.transactionInfo;
  return {
    kind: KIND[req.eventType],
    ocppTransactionId: info.transactionId,
    at: stationTime(req.timestamp, receivedAt),
    evseId: req.evse?.id,
    connectorId: req.evse?.connectorId,
    idToken: req.idToken ? { value: req.idToken.idToken, type: req.idToken.type } : undefined,
    // OCPP 2.0.1 TransactionType.stoppedReason: an Ended event without stoppedReason means Local.
    stopReason: req.eventType === 'Ended' ? (info.stoppedReason ?? 'Local') : undefined,
    chargingState: info.chargingState,
    triggerReason: req.triggerReason,
    seqNo: req.seqNo,
    offline: req.offline === true,
    remoteStartId: info.remoteStartId,
    reservationId: req.reservationId,
    samples: samplesFrom2x(req.meterValue, receivedAt),
  };
}

/** What a 2.x version adds to the shared handler: fields of its own in the recorded summary and in the answer. */
export interface VersionExtras {
  summaryOf?(req: TransactionEvent2x): Record<string, unknown>;
  answerOf?(req: TransactionEvent2x, transaction: Transaction): Promise<Record<string, unknown>>;
}

/**
 * The TransactionEvent handler both 2.x versions share; `extras` carry a version's own fields
 * (2.1: the station's own cost in the summary, a transaction limit in the answer), so this file stays 2.0.1's.
 */
export function transactionHandlers2x(service: TransactionService, extras: VersionExtras = {}): OcppSharedHandlers<Ocpp2x, 'TransactionEvent'> {
  return {
      TransactionEvent: async (ctx, req) => {
        const observation = observationFrom2x(req, ctx.receivedAt);
        const signed = signedFrom2x(req.meterValue);
        const result = await service.observe({
          stationId: ctx.stationId,
          tenantId: ctx.tenantId,
          version: ctx.version,
          dedupeKey: `event:${req.transactionInfo.transactionId}:${req.seqNo}`,
          receivedAt: ctx.receivedAt,
          summary: {
            message: `TransactionEvent ${req.eventType}`,
            chargingState: req.transactionInfo.chargingState ?? null,
            samples: observation.samples.length,
            idToken: req.idToken?.idToken ?? null,
            ...(signed.length > 0 ? { signed } : {}),
            ...extras.summaryOf?.(req),
          },
          observation,
        });
        // The response carries idTokenInfo only when the event carried an idToken (OCPP 2.0.1 TransactionEventResponse.idTokenInfo).
        const token = { ...(result.tokenStatus ? { idTokenInfo: { status: result.tokenStatus } } : {}), ...(await extras.answerOf?.(req, result.transaction)) };
        // TransactionEventResponse.totalCost (2.0.1 and 2.1 schemas): only once charging has ended, the final
        // total including taxes; omitted it does not mean free, so a session without a tariff gets none.
        if (req.eventType !== 'Ended') return token;
        const cost = await service.finalCost(result.transaction);
        return cost ? { ...token, totalCost: Number(cost.totalInclTax) } : token;
      },
  };
}

export function transactionHandlers201(service: TransactionService): OcppHandlerTable<'2.0.1'> {
  return { version: '2.0.1', owner: 'transactions', handlers: transactionHandlers2x(service) };
}
