/**
 * Transactions core: one version-neutral charging session, built by merging
 * observations (1.6 Start/MeterValues/Stop, 2.x TransactionEvent) that may
 * arrive late, duplicated or out of order. Pure: ids and time come in.
 *
 * Energy is in Wh quantised to whole mWh, and every comparison of two
 * readings allows for the precision each was written with (kernel/energy.ts):
 * a 1.6 integer stop below a decimal sample is rounding, not a meter that
 * went backwards. A reading the station reported is never replaced.
 */
import type { AuthorizationDecision } from '../authorization/index.ts';
import { differenceWh, provenBelow, quantiseWh, resolutionWh, shiftDecimal, type Reading } from '../../kernel/energy.ts';

export type TransactionState = 'active' | 'completed';

/** Why a transaction deserves an operator's look. Stable strings: the REST API exposes them. */
export const TRANSACTION_FLAGS = [
  'invalid-token-offline', // started offline by a token that is not Accepted now
  'unauthorized-token', // started online by a token that is not Accepted
  'missing-start', // events arrived for a transaction whose start was never seen
  'seqno-gap', // 2.x seqNo numbers are missing: messages may still be queued at the station
  'meter-went-backwards', // a reading proven below the start or below an earlier one (beyond the readings' precision): review the energy
  'stuck', // closed by the CSMS because the session was stuck (see the stuck capability)
  'estimated', // the stop reading is the CSMS's best estimate; a real stop that arrives later replaces it
] as const;

export type TransactionFlag = (typeof TRANSACTION_FLAGS)[number];

export interface Transaction {
  id: string;
  stationId: string;
  /**
   * The tenant of the station when the transaction started. Kept on the row, not read through the
   * station: a transaction outlives its station, and the id may later be registered by another tenant.
   */
  tenantId: string;
  ocppVersion: string;
  /** 1.6: the integer the CSMS assigned (as text); 2.x: the station's transactionId. */
  ocppTransactionId: string;
  evseId: number | null;
  connectorId: number | null;
  idToken: string | null;
  idTokenType: string | null;
  state: TransactionState;
  startedAt: Date | null;
  stoppedAt: Date | null;
  meterStartWh: number | null;
  meterStartAt: Date | null;
  /** Step of the start reading's last digit (Wh): how exactly it is known. */
  meterStartResolutionWh: number | null;
  /** The station's stop reading (or, flagged `estimated`, the CSMS's estimate for a session the station never closed). */
  meterStopWh: number | null;
  meterStopResolutionWh: number | null;
  lastMeterWh: number | null;
  lastMeterAt: Date | null;
  lastMeterResolutionWh: number | null;
  /** Highest energy register reading received for the session: kept beside an implausible stop. */
  highestMeterWh: number | null;
  stopReason: string | null;
  chargingState: string | null;
  offline: boolean;
  flags: TransactionFlag[];
  remoteStartId: number | null;
  reservationId: number | null;
  maxSeqNo: number | null;
  seqNoCount: number;
  lastEventAt: Date;
  createdAt: Date;
  updatedAt: Date;
  /**
   * How many times the record was written. Each decision (a merge, a force close) yields
   * version + 1, and storage applies it only over the version it was decided from, so two
   * nodes deciding from the same read never overwrite each other (the loser re-reads).
   */
  version: number;
}

/** One sampled value, numbers and units normalised (energy in Wh, power in W). */
export interface MeterSample {
  at: Date;
  measurand: string;
  phase: string | null;
  location: string | null;
  context: string | null;
  value: number;
  unit: string | null;
  /**
   * Energy in Wh: the step of the value's last written digit, in Wh. Null for other units; absent when
   * unknown (samples read back from the store, which keeps no precision), then taken as whole Wh.
   */
  resolutionWh?: number | null;
}

export interface IdTokenRef {
  value: string;
  type: string | null;
}

/** What a version adapter extracts from one message about one transaction. */
export interface TransactionObservation {
  kind: 'started' | 'updated' | 'ended';
  ocppTransactionId: string;
  at: Date;
  evseId?: number;
  connectorId?: number;
  idToken?: IdTokenRef;
  /** Energy register reading carried by the message itself (1.6 meterStart/meterStop). */
  registerWh?: number;
  stopReason?: string;
  chargingState?: string;
  triggerReason?: string;
  seqNo?: number;
  offline: boolean;
  remoteStartId?: number;
  reservationId?: number;
  samples: MeterSample[];
}

export const ENERGY_REGISTER = 'Energy.Active.Import.Register';

/** A sampled value as a version adapter read it, before units are normalised. */
export interface RawSample {
  at: Date;
  /** The value as the station wrote it: 1.6 the string, 2.x the number's shortest text. */
  text: string;
  /** 2.x unitOfMeasure.multiplier, a power of ten (0 when absent, and in 1.6). */
  multiplier: number;
  unit: string | null | undefined;
  measurand: string | undefined;
  phase: string | undefined;
  location: string | undefined;
  context: string | undefined;
}

const KILO_UNITS = new Set(['kWh', 'kW', 'kvarh', 'kvar', 'kVA']);

/**
 * One sample in CSMS units: energy in Wh (whole mWh), power in W (kilo units
 * scaled). Both versions default the measurand to Energy.Active.Import.Register
 * (OCPP 1.6 §7.31, 2.0.1 MeasurandEnumType) and energy to Wh. Null when the
 * value is not a finite number.
 */
export function normaliseSample(raw: RawSample): MeterSample | null {
  const written = raw.unit ?? (raw.measurand === undefined || raw.measurand.startsWith('Energy') ? 'Wh' : null);
  const kilo = written !== null && KILO_UNITS.has(written);
  const unit = kilo ? written.slice(1) : written;
  let value = shiftDecimal(raw.text, raw.multiplier + (kilo ? 3 : 0));
  if (!Number.isFinite(value)) return null;
  const isEnergy = unit === 'Wh';
  if (isEnergy) value = quantiseWh(value);
  return {
    at: raw.at,
    measurand: raw.measurand ?? ENERGY_REGISTER,
    phase: raw.phase ?? null,
    location: raw.location ?? null,
    context: raw.context ?? null,
    value,
    unit,
    resolutionWh: isEnergy ? resolutionWh(raw.text, kilo ? 'kWh' : 'Wh', raw.multiplier) : null,
  };
}

/** OCPP 1.6 StartTransaction.meterStart and StopTransaction.meterStop are integers in Wh (§6.45, §6.49). */
const INTEGER_WH_RESOLUTION = 1;
/** Rows written before resolutions were recorded: taken as whole Wh. */
const UNKNOWN_RESOLUTION = INTEGER_WH_RESOLUTION;

const readingOf = (wh: number | null, resolution: number | null): Reading | null => (wh === null ? null : { wh, resolutionWh: resolution ?? UNKNOWN_RESOLUTION });

/** Energy register samples (total, not per phase), oldest first. */
export function energyReadings(samples: readonly MeterSample[]): MeterSample[] {
  return samples.filter((s) => s.measurand === ENERGY_REGISTER && (s.phase === null || s.phase === 'N')).sort((a, b) => a.at.getTime() - b.at.getTime());
}

export interface MergeContext {
  newId: string;
  now: Date;
  stationId: string;
  tenantId: string;
  ocppVersion: string;
  /** Status of the observation's id token in the CSMS now, when it carries one. */
  tokenStatus?: AuthorizationDecision;
}

const earlier = (a: Date | null, b: Date) => (a === null || b < a ? b : a);

function addFlag(flags: TransactionFlag[], flag: TransactionFlag, when: boolean): TransactionFlag[] {
  if (when && !flags.includes(flag)) return [...flags, flag];
  if (!when && flags.includes(flag)) return flags.filter((f) => f !== flag);
  return flags;
}

function blank(obs: TransactionObservation, ctx: MergeContext): Transaction {
  return {
    id: ctx.newId,
    stationId: ctx.stationId,
    tenantId: ctx.tenantId,
    ocppVersion: ctx.ocppVersion,
    ocppTransactionId: obs.ocppTransactionId,
    evseId: null,
    connectorId: null,
    idToken: null,
    idTokenType: null,
    state: 'active',
    startedAt: null,
    stoppedAt: null,
    meterStartWh: null,
    meterStartAt: null,
    meterStartResolutionWh: null,
    meterStopWh: null,
    meterStopResolutionWh: null,
    lastMeterWh: null,
    lastMeterAt: null,
    lastMeterResolutionWh: null,
    highestMeterWh: null,
    stopReason: null,
    chargingState: null,
    offline: false,
    flags: ['missing-start'],
    remoteStartId: null,
    reservationId: null,
    maxSeqNo: null,
    seqNoCount: 0,
    lastEventAt: obs.at,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 0,
  };
}

/**
 * Merges one observation into the transaction (or creates it). Commutative
 * in the facts that matter: whatever the arrival order, the start comes from
 * the earliest evidence and the stop from the Ended/Stop message. Duplicates
 * are filtered before this function by the event's idempotency key.
 */
export function mergeObservation(current: Transaction | null, obs: TransactionObservation, ctx: MergeContext): Transaction {
  const tx: Transaction = current ? { ...current, flags: [...current.flags] } : blank(obs, ctx);
  tx.updatedAt = ctx.now;
  tx.version += 1;
  if (obs.at > tx.lastEventAt) tx.lastEventAt = obs.at;
  if (obs.evseId !== undefined && obs.evseId > 0) tx.evseId = obs.evseId;
  if (obs.connectorId !== undefined && obs.connectorId > 0) tx.connectorId = obs.connectorId;
  // The token that starts (or, in 2.x, authorizes) the session is the transaction's token;
  // a different token that stops it is only a fact of the stop.
  const isSessionToken = obs.idToken !== undefined && (tx.idToken === null || obs.kind === 'started' || tx.idToken === obs.idToken.value);
  if (obs.idToken && isSessionToken) {
    tx.idToken = obs.idToken.value;
    tx.idTokenType = obs.idToken.type ?? tx.idTokenType;
  }
  if (obs.remoteStartId !== undefined) tx.remoteStartId = obs.remoteStartId;
  if (obs.reservationId !== undefined) tx.reservationId = obs.reservationId;
  tx.offline ||= obs.offline;

  // Every event bounds the start from above; a Started/StartTransaction fixes it.
  if (obs.kind === 'started') {
    tx.startedAt = obs.at;
    tx.flags = addFlag(tx.flags, 'missing-start', false);
  } else {
    tx.startedAt = earlier(tx.startedAt, obs.at);
  }

  const readings = energyReadings(obs.samples).map((r) => ({ at: r.at, wh: r.value, resolutionWh: r.resolutionWh ?? UNKNOWN_RESOLUTION, context: r.context }));
  if (obs.registerWh !== undefined) {
    const context = obs.kind === 'started' ? 'Transaction.Begin' : obs.kind === 'ended' ? 'Transaction.End' : null;
    readings.push({ at: obs.at, wh: quantiseWh(obs.registerWh), resolutionWh: INTEGER_WH_RESOLUTION, context });
  }
  const decreasedBefore = tx.flags.includes('meter-went-backwards') && !endBelowStart(tx);
  let decreased = false;
  for (const reading of readings) {
    const isBegin = reading.context === 'Transaction.Begin';
    // A reading below an earlier one (in station time), beyond both readings' precision: the register went backwards.
    const last = readingOf(tx.lastMeterWh, tx.lastMeterResolutionWh);
    if (tx.lastMeterAt !== null && last !== null && reading.at > tx.lastMeterAt && provenBelow(reading, last)) decreased = true;
    if (tx.meterStartAt === null || reading.at < tx.meterStartAt || (isBegin && reading.at <= tx.meterStartAt)) {
      tx.meterStartWh = reading.wh;
      tx.meterStartAt = reading.at;
      tx.meterStartResolutionWh = reading.resolutionWh;
    }
    if (tx.lastMeterAt === null || reading.at >= tx.lastMeterAt) {
      tx.lastMeterWh = reading.wh;
      tx.lastMeterAt = reading.at;
      tx.lastMeterResolutionWh = reading.resolutionWh;
    }
    if (tx.highestMeterWh === null || reading.wh > tx.highestMeterWh) tx.highestMeterWh = reading.wh;
  }

  if (obs.chargingState && (obs.at >= tx.lastEventAt || tx.chargingState === null)) tx.chargingState = obs.chargingState;
  if (obs.kind === 'ended') {
    // A real stop after a force close corrects the estimate (same transaction, never a second one).
    tx.flags = addFlag(tx.flags, 'estimated', false);
    tx.state = 'completed';
    tx.stoppedAt = obs.at;
    tx.stopReason = obs.stopReason ?? tx.stopReason;
    // The station's own reading is the stop reading, whatever it says: an implausible one is flagged, never replaced.
    const stopReading = readings.at(-1);
    tx.meterStopWh = stopReading?.wh ?? tx.lastMeterWh;
    tx.meterStopResolutionWh = stopReading?.resolutionWh ?? tx.lastMeterResolutionWh;
  }

  if (obs.seqNo !== undefined) {
    tx.seqNoCount += 1;
    tx.maxSeqNo = tx.maxSeqNo === null ? obs.seqNo : Math.max(tx.maxSeqNo, obs.seqNo);
  }
  // OCPP 2.0.1 E01: seqNo counts 0,1,2,... per transaction; fewer events than the highest number means some are still queued.
  tx.flags = addFlag(tx.flags, 'seqno-gap', tx.maxSeqNo !== null && tx.seqNoCount < tx.maxSeqNo + 1);
  tx.flags = addFlag(tx.flags, 'meter-went-backwards', endBelowStart(tx) || decreased || decreasedBefore);
  if (isSessionToken && ctx.tokenStatus && ctx.tokenStatus !== 'Accepted') {
    tx.flags = addFlag(tx.flags, obs.offline ? 'invalid-token-offline' : 'unauthorized-token', true);
  }
  return tx;
}

type MeterFields = Pick<Transaction, 'meterStartWh' | 'meterStartResolutionWh' | 'meterStopWh' | 'meterStopResolutionWh' | 'lastMeterWh' | 'lastMeterResolutionWh'>;

/** The stop reading, or the last one while the session runs. */
function endReading(t: MeterFields): Reading | null {
  return t.meterStopWh !== null ? readingOf(t.meterStopWh, t.meterStopResolutionWh) : readingOf(t.lastMeterWh, t.lastMeterResolutionWh);
}

/** The end reading is proven below the start (a reset register, a swapped meter), not merely rounded below it. */
function endBelowStart(t: MeterFields): boolean {
  const end = endReading(t);
  const start = readingOf(t.meterStartWh, t.meterStartResolutionWh);
  return end !== null && start !== null && provenBelow(end, start);
}

/**
 * Energy delivered so far (active) or in total (completed), exact to the mWh;
 * null when it cannot be known (no start, or an end proven below the start).
 * An end below the start by less than the readings' precision is 0.
 */
export function energyWh(tx: MeterFields): number | null {
  const end = endReading(tx);
  if (end === null || tx.meterStartWh === null || endBelowStart(tx)) return null;
  return Math.max(differenceWh(end.wh, tx.meterStartWh), 0);
}

/** Readings the CSMS has besides the transaction's own last meter value. */
export interface CloseEvidence {
  /** Highest energy register reading stored for the transaction (Wh), with its time. */
  maxReading: { wh: number; at: Date } | null;
  /** The next transaction on the same EVSE: its start reading continues this one's register. */
  nextStart: { wh: number | null; at: Date } | null;
  /** When the session physically ended, if something says so (connector freed, station answer). */
  endedAt: Date | null;
}

export type EstimateSource = 'next-transaction-start' | 'last-meter-value' | 'no-reading';

export interface CloseEstimate {
  meterStopWh: number | null;
  stoppedAt: Date;
  source: EstimateSource;
}

/**
 * The best stop reading and time for a transaction the CSMS closes itself.
 * The register only grows, so the highest reading at or above the start is
 * the last good one; the next session's start reading on the same EVSE, when
 * it is not below that, also counts the energy after our last sample.
 */
export function estimateClose(tx: Transaction, evidence: CloseEvidence): CloseEstimate {
  const floor = tx.meterStartWh ?? 0;
  const candidates = [evidence.maxReading, tx.lastMeterWh !== null && tx.lastMeterAt ? { wh: tx.lastMeterWh, at: tx.lastMeterAt } : null]
    .filter((r): r is { wh: number; at: Date } => r !== null && r.wh >= floor)
    .sort((a, b) => b.wh - a.wh);
  const last = candidates[0] ?? null;
  const next = evidence.nextStart;
  const stoppedAt = evidence.endedAt ?? next?.at ?? last?.at ?? tx.lastEventAt;
  if (next && next.wh !== null && next.wh >= (last?.wh ?? floor) && tx.meterStartWh !== null) {
    return { meterStopWh: next.wh, stoppedAt, source: 'next-transaction-start' };
  }
  if (last) return { meterStopWh: last.wh, stoppedAt: evidence.endedAt ?? last.at, source: 'last-meter-value' };
  return { meterStopWh: tx.meterStartWh, stoppedAt, source: 'no-reading' };
}

/**
 * The open transaction closed by the CSMS: completed, reason `stuck`, the
 * estimated reading. Null for a transaction the station closed: its stop
 * reading is the station's and is never replaced by an estimate.
 */
export function forceClosed(tx: Transaction, estimate: CloseEstimate, reason: string, now: Date): Transaction | null {
  if (tx.state === 'completed') return null;
  const flags = addFlag(addFlag(tx.flags, 'stuck', true), 'estimated', true);
  const stoppedAt = tx.startedAt && estimate.stoppedAt < tx.startedAt ? tx.startedAt : estimate.stoppedAt;
  // The estimate comes from the CSMS's readings (or the next start): its precision is that of the start reading at best.
  const closed = { ...tx, state: 'completed' as const, stoppedAt, meterStopWh: estimate.meterStopWh, meterStopResolutionWh: tx.lastMeterResolutionWh, stopReason: reason, flags, updatedAt: now, version: tx.version + 1 };
  return { ...closed, flags: addFlag(flags, 'meter-went-backwards', endBelowStart(closed) || tx.flags.includes('meter-went-backwards')) };
}
