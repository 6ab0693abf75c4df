/**
 * Transaction-related message shapes per version, built as queue entries (sim-tx-queue.ts):
 * 1.6 §4.8 StartTransaction, §4.7 MeterValues, §4.10 StopTransaction; 2.0.1 E01-E07 TransactionEvent.
 * Also the vocabulary of stop reasons, which differs between 1.6 Reason and 2.x ReasonEnumType.
 */
import type { SimSession } from './sim-session.ts';
import type { SimTxEntry } from './sim-tx-queue.ts';
import { STOP_REASONS_16, STOP_REASONS_2X, type SimPayload, type SimStopReason } from './sim-types.ts';

/** 1.6 has fewer reasons: resets map to HardReset, anything else unknown to Other. */
export function reason16(reason: SimStopReason): string {
  if ((STOP_REASONS_16 as readonly string[]).includes(reason)) return reason;
  return reason === 'ImmediateReset' ? 'HardReset' : 'Other';
}

/** 2.x stoppedReason: 1.6-only reasons are translated (resets -> ImmediateReset, UnlockCommand -> Other). */
export function reason2x(reason: SimStopReason): string {
  if ((STOP_REASONS_2X as readonly string[]).includes(reason)) return reason;
  return reason === 'HardReset' || reason === 'SoftReset' ? 'ImmediateReset' : 'Other';
}

/** The TriggerReasonEnumType that goes with a stop reason (2.0.1 E06 stop conditions). */
export function stopTrigger2x(reason: SimStopReason): string {
  switch (reason) {
    case 'Local': case 'MasterPass': return 'StopAuthorized';
    case 'Remote': return 'RemoteStop';
    case 'EVDisconnected': return 'EVCommunicationLost';
    case 'DeAuthorized': case 'LocalOutOfCredit': return 'Deauthorized';
    case 'EnergyLimitReached': return 'EnergyLimitReached';
    case 'TimeLimitReached': return 'TimeLimitReached';
    case 'Timeout': return 'EVConnectTimeout';
    case 'StoppedByEV': case 'SOCLimitReached': return 'ChargingStateChanged';
    case 'ImmediateReset': case 'HardReset': case 'SoftReset': case 'Reboot': return 'ResetCommand';
    case 'UnlockCommand': return 'UnlockCommand';
    default: return 'AbnormalCondition';
  }
}

/** Status out of 1.6 idTagInfo / 2.x idTokenInfo, if the answer carried one. */
export function tokenStatus(info: unknown): string | undefined {
  const status = (info as { status?: unknown } | undefined)?.status;
  return typeof status === 'string' ? status : undefined;
}

/** 1.6: fill in the CSMS transactionId at sending time, or 'wait' while the StartTransaction is unanswered. */
function withTxId16(s: SimSession, payload: SimPayload): () => SimPayload | 'wait' {
  return () => (s.transactionId === undefined ? 'wait' : { ...payload, transactionId: Number(s.transactionId) });
}

/** 1.6 §4.8 StartTransaction.req; the answer names the transaction (integer id) and judges the idTag. */
export function startTransaction16(s: SimSession, timestamp: string): SimTxEntry {
  return {
    action: 'StartTransaction',
    txKey: s.key,
    opensTx: true,
    payload: { connectorId: s.evseId, idTag: s.idToken ?? '', meterStart: s.meterStartWh, timestamp },
    onAnswer: (res) => {
      const id = res.transactionId;
      // A duplicated StartTransaction (replayQueue 'duplicated') may get a second id: the first one stays.
      if (s.transactionId === undefined && typeof id === 'number' && Number.isInteger(id)) s.transactionId = String(id);
      s.authorization = tokenStatus(res.idTagInfo) ?? s.authorization;
    },
  };
}

/** 1.6 §4.7 MeterValues.req for the session's connector. */
export function meterValues16(s: SimSession, meterValue: SimPayload): SimTxEntry {
  const payload = { connectorId: s.evseId, meterValue: [meterValue] };
  return { action: 'MeterValues', txKey: s.key, payload, resolve: withTxId16(s, payload) };
}

/** 1.6 §4.10 StopTransaction.req; idTag only when the token holder stopped it (Local). */
export function stopTransaction16(s: SimSession, reason: string, transactionData: SimPayload[], timestamp: string): SimTxEntry {
  const payload: SimPayload = { meterStop: s.meterWh, timestamp, reason, transactionData };
  if (reason === 'Local' && s.idToken !== undefined) payload.idTag = s.idToken;
  return { action: 'StopTransaction', txKey: s.key, payload, resolve: withTxId16(s, payload) };
}

export interface SimEventOptions {
  triggerReason: string;
  /** 2.0.1 E04: the event happened while the station was offline. */
  offline: boolean;
  meterValue?: SimPayload | undefined;
  /** Include idToken (the event that authorizes, or a stop by the token holder). */
  idToken?: boolean;
  stoppedReason?: string | undefined;
  remoteStartId?: number | undefined;
  timestamp: string;
}

/**
 * 2.0.1 TransactionEventRequest. seqNo is taken now, so the numbering follows creation order even when
 * the event waits in the offline queue (E01: 0 for Started, +1 per event). The EVSE is named in the
 * first event of the transaction.
 */
export function transactionEvent(s: SimSession, eventType: 'Started' | 'Updated' | 'Ended', o: SimEventOptions): SimTxEntry {
  const transactionInfo: SimPayload = { transactionId: s.transactionId, chargingState: s.chargingState };
  if (o.stoppedReason !== undefined) transactionInfo.stoppedReason = o.stoppedReason;
  if (o.remoteStartId !== undefined) transactionInfo.remoteStartId = o.remoteStartId;
  const payload: SimPayload = {
    eventType, timestamp: o.timestamp, triggerReason: o.triggerReason, seqNo: s.nextSeqNo++, transactionInfo,
  };
  if (o.offline) payload.offline = true;
  if (eventType === 'Started') payload.evse = { id: s.evseId, connectorId: s.connectorId };
  if (o.idToken && s.idToken !== undefined) payload.idToken = { idToken: s.idToken, type: s.tokenType };
  if (o.meterValue) payload.meterValue = [o.meterValue];
  return {
    action: 'TransactionEvent',
    txKey: s.key,
    payload,
    onAnswer: (res) => { s.authorization = tokenStatus(res.idTokenInfo) ?? s.authorization; },
  };
}
