/**
 * OCPP 1.6J <-> transactions: StartTransaction (§4.8), MeterValues (§4.7),
 * StopTransaction (§4.10). The CSMS never rejects these: a stop or meter
 * values for a transaction it does not know are answered and recorded.
 */
import { createHash } from 'node:crypto';
import { stationTime } from '../../kernel/time.ts';
import type { OcppCallContext, OcppHandlerTable, OcppRequest } from '../../ocpp/ocpp-handler.ts';
import { authorizationStatus16 } from '../authorization/index.ts';
import { normaliseSample, type MeterSample } from './transaction.ts';
import type { TransactionService } from './transaction-service.ts';

type MeterValue16 = OcppRequest<'1.6', 'MeterValues'>['meterValue'][number];

/**
 * 1.6 has no offline flag. A transaction message dated before the connection
 * that carries it was queued while the station was offline: online, stations
 * send at once (1.6 §3.7). Stations set their clock from our
 * BootNotification/Heartbeat answers, so drift is small; a clock running late
 * could mark a session started in the first seconds after a reconnect as
 * offline, which only makes it more visible to the operator.
 */
const happenedOffline = (at: Date, ctx: OcppCallContext) => at.getTime() < ctx.connectedAt.getTime();

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

/**
 * 1.6 sampled values are decimal strings with a unit enum (§7.43); energy is kept in Wh, power in W.
 * The string is kept as written so its precision (its last digit) is known. Signed data is not a number and is skipped.
 */
export function samplesFrom16(meterValues: readonly MeterValue16[] | undefined, receivedAt: Date): MeterSample[] {
  const samples: MeterSample[] = [];
  for (const mv of meterValues ?? []) {
    const at = stationTime(mv.timestamp, receivedAt);
    for (const sv of mv.sampledValue) {
      if (sv.format === 'SignedData') continue;
      const sample = normaliseSample({ at, text: sv.value, multiplier: 0, unit: sv.unit, measurand: sv.measurand, phase: sv.phase, location: sv.location, context: sv.context });
      if (sample) samples.push(sample);
    }
  }
  return samples;
}

/**
 * Signed meter data (1.6 SampledValue format SignedData, as the German calibration law and OCMF
 * stations send it), kept verbatim with its timestamp, for the CDR: the CSMS cannot check it, a
 * driver's or auditor's tool can.
 */
export function signedFrom16(meterValues: readonly MeterValue16[] | undefined): Array<Record<string, unknown>> {
  return (meterValues ?? []).flatMap((mv) => mv.sampledValue.filter((sv) => sv.format === 'SignedData').map((sv) => ({ timestamp: mv.timestamp, ...sv })));
}

/** The summary's `signed` member, only when there is signed data. */
const withSigned = (signed: Array<Record<string, unknown>>) => (signed.length > 0 ? { signed } : {});

export function transactionHandlers16(service: TransactionService): OcppHandlerTable<'1.6'> {
  return {
    version: '1.6',
    owner: 'transactions',
    handlers: {
      StartTransaction: async (ctx, req) => {
        const at = stationTime(req.timestamp, ctx.receivedAt);
        const result = await service.startWithIssuedId({
          stationId: ctx.stationId,
          tenantId: ctx.tenantId,
          version: ctx.version,
          dedupeKey: `start:${req.connectorId}:${req.idTag}:${req.timestamp}:${req.meterStart}`,
          receivedAt: ctx.receivedAt,
          summary: { message: 'StartTransaction', connectorId: req.connectorId, idTag: req.idTag, meterStart: req.meterStart },
          observation: {
            kind: 'started',
            at,
            evseId: req.connectorId,
            connectorId: 1,
            idToken: { value: req.idTag, type: null },
            registerWh: req.meterStart,
            offline: happenedOffline(at, ctx),
            reservationId: req.reservationId,
            samples: [],
          },
        });
        return {
          transactionId: Number(result.transaction.ocppTransactionId),
          idTagInfo: { status: authorizationStatus16(result.tokenStatus ?? 'Invalid') },
        };
      },

      MeterValues: async (ctx, req) => {
        const samples = samplesFrom16(req.meterValue, ctx.receivedAt);
        let ocppTransactionId = req.transactionId === undefined ? undefined : String(req.transactionId);
        // Connector-level values without a transaction id belong to the open session on that connector, if any.
        if (ocppTransactionId === undefined && req.connectorId > 0) ocppTransactionId = (await service.activeOn(ctx.stationId, req.connectorId))?.ocppTransactionId;
        const signed = signedFrom16(req.meterValue);
        if (ocppTransactionId === undefined || (samples.length === 0 && signed.length === 0)) return {};
        const at = samples.reduce((latest, s) => (s.at > latest ? s.at : latest), samples[0]?.at ?? stationTime(req.meterValue[0]!.timestamp, ctx.receivedAt));
        await service.observe({
          stationId: ctx.stationId,
          tenantId: ctx.tenantId,
          version: ctx.version,
          dedupeKey: `meter:${ocppTransactionId}:${digest(req.meterValue)}`,
          receivedAt: ctx.receivedAt,
          summary: { message: 'MeterValues', connectorId: req.connectorId, samples: samples.length, ...withSigned(signed) },
          observation: { kind: 'updated', ocppTransactionId, at, evseId: req.connectorId > 0 ? req.connectorId : undefined, offline: happenedOffline(at, ctx), samples },
        });
        return {};
      },

      StopTransaction: async (ctx, req) => {
        const at = stationTime(req.timestamp, ctx.receivedAt);
        const result = await service.observe({
          stationId: ctx.stationId,
          tenantId: ctx.tenantId,
          version: ctx.version,
          dedupeKey: `stop:${req.transactionId}:${req.timestamp}:${req.meterStop}`,
          receivedAt: ctx.receivedAt,
          summary: { message: 'StopTransaction', meterStop: req.meterStop, reason: req.reason ?? 'Local', idTag: req.idTag ?? null, ...withSigned(signedFrom16(req.transactionData)) },
          observation: {
            kind: 'ended',
            ocppTransactionId: String(req.transactionId),
            at,
            idToken: req.idTag ? { value: req.idTag, type: null } : undefined,
            registerWh: req.meterStop,
            // OCPP 1.6 §6.49: an absent reason means Local.
            stopReason: req.reason ?? 'Local',
            offline: happenedOffline(at, ctx),
            samples: samplesFrom16(req.transactionData, ctx.receivedAt),
          },
        });
        return req.idTag ? { idTagInfo: { status: authorizationStatus16(result.tokenStatus ?? 'Invalid') } } : {};
      },
    },
  };
}
