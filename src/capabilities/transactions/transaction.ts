/**
 * Transactions core: one version-neutral charging session, built by merging
 * observations (1.6 Start/MeterValues/Stop, 2.x TransactionEvent) that may
 * arrive late, duplicated or out of order. Pure: ids and time come in.
 */

export type TransactionState = 'active' | 'completed';

/** Why a transaction deserves an operator's look. Stable strings: the REST API exposes them. */
export type TransactionFlag =
  | 'invalid-token-offline' // started offline by a token that is not Accepted now
  | 'unauthorized-token' // started online by a token that is not Accepted
  | 'missing-start' // events arrived for a transaction whose start was never seen
  | 'seqno-gap' // 2.x seqNo numbers are missing: messages may still be queued at the station
  | 'meter-went-backwards' // stop/last reading below the start reading, or a reading below an earlier one
  | 'stuck' // closed by the CSMS because the session was stuck (see the stuck capability)
  | 'estimated'; // the stop reading is the CSMS's best estimate; a real stop that arrives later replaces it

export interface Transaction {
  id: string;
  stationId: string;
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
  meterStopWh: number | null;
  lastMeterWh: number | null;
  lastMeterAt: Date | null;
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
  value: number;
  unit: string | null | undefined;
  measurand: string | undefined;
  phase: string | undefined;
  location: string | undefined;
  context: string | undefined;
}

const KILO_UNITS = new Set(['kWh', 'kW', 'kvarh', 'kvar', 'kVA']);

/**
 * One sample in CSMS units: energy in Wh, power in W (kilo units scaled).
 * Both versions default the measurand to Energy.Active.Import.Register
 * (OCPP 1.6 §7.31, 2.0.1 MeasurandEnumType) and energy to Wh. Null when the
 * value is not a finite number.
 */
export function normaliseSample(raw: RawSample): MeterSample | null {
  let value = raw.value;
  let unit = raw.unit ?? (raw.measurand === undefined || raw.measurand.startsWith('Energy') ? 'Wh' : null);
  if (unit !== null && KILO_UNITS.has(unit)) {
    value *= 1000;
    unit = unit.slice(1);
  }
  if (!Number.isFinite(value)) return null;
  return {
    at: raw.at,
    measurand: raw.measurand ?? ENERGY_REGISTER,
    phase: raw.phase ?? null,
    location: raw.location ?? null,
    context: raw.context ?? null,
    value,
    unit,
  };
}

/** Energy register samples (total, not per phase), oldest first. */
export function energyReadings(samples: readonly MeterSample[]): MeterSample[] {
  return samples.filter((s) => s.measurand === ENERGY_REGISTER && (s.phase === null || s.phase === 'N')).sort((a, b) => a.at.getTime() - b.at.getTime());
}

export interface MergeContext {
  newId: string;
  now: Date;
  stationId: string;
  ocppVersion: string;
  /** Status of the observation's id token in the CSMS now, when it carries one. */
  tokenStatus?: string;
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
    meterStopWh: null,
    lastMeterWh: null,
    lastMeterAt: null,
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

  const readings = energyReadings(obs.samples);
  if (obs.registerWh !== undefined) {
    const context = obs.kind === 'started' ? 'Transaction.Begin' : obs.kind === 'ended' ? 'Transaction.End' : null;
    readings.push({ at: obs.at, measurand: ENERGY_REGISTER, phase: null, location: null, context, value: obs.registerWh, unit: 'Wh' });
  }
  // A reading below an earlier one (in station time) means the register went backwards mid-session.
  const below = (t: Pick<Transaction, 'meterStopWh' | 'lastMeterWh' | 'meterStartWh'>) => {
    const end = t.meterStopWh ?? t.lastMeterWh;
    return end !== null && t.meterStartWh !== null && end < t.meterStartWh;
  };
  const decreasedBefore = tx.flags.includes('meter-went-backwards') && !below(tx);
  let decreased = false;
  for (const reading of readings) {
    const isBegin = reading.context === 'Transaction.Begin';
    if (tx.lastMeterAt !== null && tx.lastMeterWh !== null && reading.at > tx.lastMeterAt && reading.value < tx.lastMeterWh) decreased = true;
    if (tx.meterStartAt === null || reading.at < tx.meterStartAt || (isBegin && reading.at <= tx.meterStartAt)) {
      tx.meterStartWh = reading.value;
      tx.meterStartAt = reading.at;
    }
    if (tx.lastMeterAt === null || reading.at >= tx.lastMeterAt) {
      tx.lastMeterWh = reading.value;
      tx.lastMeterAt = reading.at;
    }
  }

  if (obs.chargingState && (obs.at >= tx.lastEventAt || tx.chargingState === null)) tx.chargingState = obs.chargingState;
  if (obs.kind === 'ended') {
    // A real stop after a force close corrects the estimate (same transaction, never a second one).
    tx.flags = addFlag(tx.flags, 'estimated', false);
    tx.state = 'completed';
    tx.stoppedAt = obs.at;
    tx.stopReason = obs.stopReason ?? tx.stopReason;
    const stopReading = obs.registerWh ?? readings.at(-1)?.value;
    tx.meterStopWh = stopReading ?? tx.lastMeterWh;
  }

  if (obs.seqNo !== undefined) {
    tx.seqNoCount += 1;
    tx.maxSeqNo = tx.maxSeqNo === null ? obs.seqNo : Math.max(tx.maxSeqNo, obs.seqNo);
  }
  // OCPP 2.0.1 E01: seqNo counts 0,1,2,... per transaction; fewer events than the highest number means some are still queued.
  tx.flags = addFlag(tx.flags, 'seqno-gap', tx.maxSeqNo !== null && tx.seqNoCount < tx.maxSeqNo + 1);
  tx.flags = addFlag(tx.flags, 'meter-went-backwards', below(tx) || decreased || decreasedBefore);
  if (isSessionToken && ctx.tokenStatus && ctx.tokenStatus !== 'Accepted') {
    tx.flags = addFlag(tx.flags, obs.offline ? 'invalid-token-offline' : 'unauthorized-token', true);
  }
  return tx;
}

/** Energy delivered so far (active) or in total (completed); null when it cannot be known. */
export function energyWh(tx: Transaction): number | null {
  const end = tx.meterStopWh ?? tx.lastMeterWh;
  if (end === null || tx.meterStartWh === null || end < tx.meterStartWh) return null;
  return end - tx.meterStartWh;
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

/** The transaction closed by the CSMS: completed, reason `stuck`, estimated reading. */
export function forceClosed(tx: Transaction, estimate: CloseEstimate, reason: string, now: Date): Transaction {
  let flags = addFlag(tx.flags, 'stuck', true);
  flags = addFlag(flags, 'estimated', true);
  // The estimate replaces a reading below the start: the record is no longer going backwards.
  flags = addFlag(flags, 'meter-went-backwards', estimate.meterStopWh !== null && tx.meterStartWh !== null && estimate.meterStopWh < tx.meterStartWh);
  // A stop that arrived keeps its time and reason; only its reading is replaced.
  if (tx.state === 'completed') return { ...tx, meterStopWh: estimate.meterStopWh, flags, updatedAt: now };
  const stoppedAt = tx.startedAt && estimate.stoppedAt < tx.startedAt ? tx.startedAt : estimate.stoppedAt;
  return { ...tx, state: 'completed', stoppedAt, meterStopWh: estimate.meterStopWh, stopReason: reason, flags, updatedAt: now };
}
