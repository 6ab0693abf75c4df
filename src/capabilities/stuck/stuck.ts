/**
 * Stuck transactions core: the detection rules. A transaction is stuck when
 * the backend holds it open (or could not close its books) while the physical
 * session is over or cannot be observed. Pure: the facts and `now` come in,
 * the reasons go out; the service gathers facts from the transactions and
 * stations capabilities and drives the remediation ladder (stuck-ladder.ts).
 */
import { differenceWh } from '../../kernel/energy.ts';

/** Why a transaction is suspected. Stable strings: the REST API and metrics expose them. */
export type StuckReason =
  | 'connector-free' // connector Available / Finishing (unplugged) while the transaction is open
  | 'silent' // online, but no event for longer than k x the sampling interval
  | 'rebooted-not-resumed' // the station booted after the last event and never mentioned the transaction again
  | 'offline-too-long' // offline longer than the threshold with the transaction open
  | 'station-says-ended' // 2.x GetTransactionStatus: ongoingIndicator=false, nothing queued
  | 'superseded' // a later transaction started on the same connector
  | 'too-long' // open longer than the site's maximum session duration
  | 'implausible-energy'; // more energy than the connector can physically deliver in the elapsed time

export const STUCK_REASONS: readonly StuckReason[] = [
  'connector-free',
  'silent',
  'rebooted-not-resumed',
  'offline-too-long',
  'station-says-ended',
  'superseded',
  'too-long',
  'implausible-energy',
];

/** Reasons that prove the physical session is over: stop / unlock / reset would only disturb the connector. */
export const PHYSICALLY_ENDED: ReadonlySet<StuckReason> = new Set(['station-says-ended', 'superseded']);

/** Per-site detection thresholds (config `stuck.defaults`, overridden per site in `stuck.sites`). */
export interface DetectionSettings {
  /** Expected seconds between meter values / transaction events of a running session; 0 disables `silent`. */
  samplingIntervalSec: number;
  /** `silent` fires after silenceFactor x samplingIntervalSec without any sign of the transaction. */
  silenceFactor: number;
  /** `connector-free` fires once the connector has been free this long with the transaction still open. */
  connectorFreeGraceSec: number;
  /** `rebooted-not-resumed` fires this long after a boot that the transaction did not survive. */
  rebootGraceSec: number;
  /** `offline-too-long` fires after this many seconds offline. */
  offlineThresholdSec: number;
  /** `too-long` fires after this many seconds; 0 disables it. */
  maxDurationSec: number;
  /** Highest power the site's connectors deliver; more energy than this x time is `implausible-energy`. 0 disables it. */
  maxPowerW: number;
}

/** What the CSMS knows about one transaction, version-neutral. */
export interface TransactionFacts {
  id: string;
  stationId: string;
  evseId: number | null;
  state: 'active' | 'completed';
  startedAt: Date | null;
  /** The latest moment the transaction showed life: its last event, or an answer that says it is ongoing. */
  lastAliveAt: Date;
  /**
   * When the CSMS last received something about it (its own clock). Silence and reboots are judged
   * by this too, so a station whose clock lags, or messages the CSMS is slow to process, do not look silent.
   */
  lastReceivedAt?: Date | null;
  meterStartWh: number | null;
  lastMeterWh: number | null;
  meterStopWh: number | null;
  flags: readonly string[];
}

export interface ConnectorFacts {
  /** Neutral status (Available, Occupied, ...). */
  status: string;
  /** What goes on at an occupied connector (the stations capability's neutral ConnectorActivity), when the version says. */
  activity: string | null;
  /** The latest report (a re-report of the same status is still a sign the station is there). */
  reportedAt: Date;
  /** Since when the connector has had this status (re-reports do not move it). */
  since: Date;
}

export interface StationFacts {
  online: boolean;
  /** When the station was last seen going offline (null: never). */
  offlineSince: Date | null;
  /** When the current connection opened. */
  onlineSince: Date | null;
  lastBootAt: Date | null;
  /** Connector state per EVSE (1.6: per connector number). */
  connectors: ReadonlyMap<number, ConnectorFacts>;
}

export interface DetectionInput {
  tx: TransactionFacts;
  station: StationFacts;
  /** Start time of a later transaction on the same EVSE, if any. */
  nextStartOnEvse: Date | null;
  /** The station's answer to the last GetTransactionStatus, if it was asked. */
  statusAnswer: { at: Date; ongoing: boolean; messagesInQueue: boolean } | null;
  now: Date;
}

const sec = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

/** Activities that only a running transaction has: a report of one is a sign of life (1.6 says them in its status). */
const TRANSACTION_ACTIVITIES: ReadonlySet<string> = new Set(['charging', 'suspended-by-ev', 'suspended-by-station']);

/** A connector the driver has left: Available, or a session finishing (the version says so). */
export function isConnectorFree(connector: Pick<ConnectorFacts, 'status' | 'activity'> | undefined): boolean {
  if (!connector) return false;
  return connector.status === 'Available' || connector.activity === 'finishing';
}

/**
 * Every rule that fires, most conclusive first. An empty list means the
 * transaction looks healthy. A completed transaction is never stuck: its
 * stop arrived, and a stop with an implausible reading (below the start, a
 * reset register) is the transactions capability's `meter-went-backwards`
 * flag for an operator to review, never a case the CSMS closes again.
 */
export function detect(input: DetectionInput, settings: DetectionSettings): StuckReason[] {
  const { station, now } = input;
  const reasons: StuckReason[] = [];
  if (input.tx.state === 'completed') return reasons;
  const connector = input.tx.evseId === null ? undefined : station.connectors.get(input.tx.evseId);
  const lastAliveAt =
    connector?.activity && TRANSACTION_ACTIVITIES.has(connector.activity) && connector.reportedAt > input.tx.lastAliveAt ? connector.reportedAt : input.tx.lastAliveAt;
  const tx = { ...input.tx, lastAliveAt };
  const answer = input.statusAnswer;
  // OCPP 2.0.1 E14.FR.03: ongoingIndicator is false when the transaction is not ongoing on the station;
  // with messages still queued the Ended event may be on its way, so wait for it.
  if (answer && !answer.ongoing && !answer.messagesInQueue && answer.at >= tx.lastAliveAt) reasons.push('station-says-ended');
  if (input.nextStartOnEvse && tx.startedAt && input.nextStartOnEvse > tx.startedAt) reasons.push('superseded');

  // A status reported after the last sign of life: an older Available is the plug-in before the start.
  if (connector && isConnectorFree(connector) && connector.since >= tx.lastAliveAt && sec(connector.since, now) >= settings.connectorFreeGraceSec) {
    reasons.push('connector-free');
  }
  const heard = tx.lastReceivedAt && tx.lastReceivedAt > tx.lastAliveAt ? tx.lastReceivedAt : tx.lastAliveAt;
  if (station.lastBootAt && station.lastBootAt > heard && sec(station.lastBootAt, now) >= settings.rebootGraceSec) {
    reasons.push('rebooted-not-resumed');
  }
  if (!station.online) {
    if (station.offlineSince && sec(station.offlineSince, now) >= settings.offlineThresholdSec) reasons.push('offline-too-long');
  } else if (settings.samplingIntervalSec > 0) {
    // Silence counts from the later of the last sign of life and the reconnect (offline time is not silence).
    const since = station.onlineSince && station.onlineSince > heard ? station.onlineSince : heard;
    if (sec(since, now) > settings.silenceFactor * settings.samplingIntervalSec) reasons.push('silent');
  }
  if (tx.startedAt) {
    const elapsed = sec(tx.startedAt, now);
    if (settings.maxDurationSec > 0 && elapsed > settings.maxDurationSec) reasons.push('too-long');
    const energy = tx.lastMeterWh !== null && tx.meterStartWh !== null ? differenceWh(tx.lastMeterWh, tx.meterStartWh) : null;
    // Allow one sampling interval of slack: the first reading may precede the recorded start.
    const possibleWh = (settings.maxPowerW * (Math.max(elapsed, 0) + settings.samplingIntervalSec)) / 3600;
    if (settings.maxPowerW > 0 && energy !== null && energy > possibleWh) reasons.push('implausible-energy');
  }
  return reasons;
}

/** Stuck sessions per station over a window, highest rate first, so a faulty model or firmware stands out. */
export function stationRates(
  stuck: ReadonlyArray<{ stationId: string; stuck: number }>,
  sessions: ReadonlyArray<{ stationId: string; sessions: number }>,
): Array<{ stationId: string; sessions: number; stuck: number; rate: number }> {
  const stuckBy = new Map(stuck.map((s) => [s.stationId, s.stuck]));
  return sessions
    .map((s) => {
      const count = stuckBy.get(s.stationId) ?? 0;
      return { stationId: s.stationId, sessions: s.sessions, stuck: count, rate: s.sessions === 0 ? 0 : count / s.sessions };
    })
    .sort((a, b) => b.rate - a.rate || b.stuck - a.stuck || a.stationId.localeCompare(b.stationId));
}
