/**
 * What the benchmark parent and its load-client processes say to each other
 * over IPC, plus the OCPP-J frames and station passwords both sides need.
 */
import type { HistogramJson } from './histogram.ts';

/** What the simulated stations of a load run send (bench/load-scripts.ts plays it). */
export type LoadProfile =
  | { name: 'heartbeat' }
  | { name: 'mix'; tokenPrefix: string; tokens: number }
  | { name: 'steady'; tokenPrefix: string; tokens: number; meterValuesPerSession: number };

export type Subprotocol = 'ocpp1.6' | 'ocpp2.0.1';

export interface ConnectCommand {
  cmd: 'connect';
  url: string;
  /**
   * Several nodes, as behind a load balancer that is not sticky: station k connects first to
   * urls[k % n] and, when its socket closes after the boot, reconnects to the next one in turn.
   * Without urls a closed station stays closed (counted as dropped).
   */
  urls?: string[];
  /** Station ids are `${prefix}${from}` ... `${prefix}${from + count - 1}`. */
  prefix: string;
  from: number;
  count: number;
  protocol: Subprotocol;
  /** Source address for this client's sockets (127.0.0.x), so ephemeral ports never run out. */
  localAddress: string;
  /** Most stations connecting or booting at once in this process. */
  concurrency: number;
  /** StatusNotifications sent after the boot is accepted (connectors 1..n). */
  connectors: number;
  /** Send HTTP Basic auth with benchPassword(id). */
  password: boolean;
  /** Attempts after a failed connect/boot (1-3 s apart); the latency counts from the first attempt. */
  retries: number;
  /** Epoch ms at which every client starts, so all processes storm together. */
  startAt: number;
}

export interface HeartbeatCommand {
  cmd: 'closed-loop' | 'paced';
  startAt: number;
  warmupMs: number;
  durationMs: number;
  /** paced only: heartbeats per second sent by this process, spread evenly over its stations. */
  ratePerSec?: number;
  /** paced only: what the stations send (load-scripts.ts); Heartbeats when absent. */
  profile?: LoadProfile;
}

export type Command = ConnectCommand | HeartbeatCommand | { cmd: 'close' };

export interface ConnectReply {
  booted: number;
  /** Stations that failed every attempt. */
  failed: number;
  /** Failed attempts that were retried. */
  retries: number;
  errors: string[];
  /** Connect start -> BootNotification Accepted, per station. */
  bootLatency: HistogramJson;
  lastBootAt: number;
  lastStatusAt: number;
  statusErrors: number;
  /** Stations of this process whose socket closed after booting (ever). */
  dropped: number;
  /** CALLs from the CSMS answered (ever, this process); see load-client.ts answerCall. */
  csmsCalls: number;
}

export interface HeartbeatReply {
  /** Round trips answered with a CALLRESULT inside the measured window. */
  completed: number;
  errors: number;
  /** Latency from the actual send. */
  latency: HistogramJson;
  /** paced only: latency from the scheduled send time (includes client lag and waits behind a late answer). */
  fromSchedule: HistogramJson;
  /** paced only: sends that were due while the station's previous heartbeat was still unanswered. */
  late: number;
  stations: number;
  dropped: number;
  csmsCalls: number;
  /** paced only: worst send -> answer latency (ms) in each 100 ms of the measured window. */
  worstPer100ms: number[];
  /** Latency per message kind (Heartbeat, Authorize, MeterValues, ...). */
  byKind: Record<string, HistogramJson>;
  /** Authorize / StartTransaction answers whose id token status was not Accepted. */
  notAccepted: number;
  /** Answers in each second of the measured window. */
  answeredPerSecond: number[];
  /** Messages still queued (due while their station was busy or away) when the run gave up waiting, 15 s after its end. */
  unsent: number;
  /** Only with ConnectCommand.urls: reconnects after a close (ever, this process). */
  failover: FailoverFigures | null;
}

export interface FailoverFigures {
  /** Stations back (booted again) after their socket closed. */
  reconnects: number;
  /** Messages sent again because their answer never came before the close. */
  resent: number;
  /** Connection or boot attempts that failed and were retried on the next node. */
  failedAttempts: number;
  /** Socket closed -> boot accepted again. */
  latency: HistogramJson;
  /** Socket closed -> WebSocket open again (includes the 100-1000 ms a station waits first). */
  openLatency: HistogramJson;
  /** How the sockets were closed (WebSocket close code -> count). */
  closeCodes: Record<string, number>;
}

export function benchPassword(stationId: string): string {
  return `bench-pw-${stationId}-0123456789`.slice(0, 40);
}

export function bootFrame(protocol: Subprotocol, messageId: string): string {
  const payload =
    protocol === 'ocpp1.6'
      ? { chargePointVendor: 'Bench', chargePointModel: 'LoadClient' }
      : { reason: 'PowerUp', chargingStation: { vendorName: 'Bench', model: 'LoadClient' } };
  return JSON.stringify([2, messageId, 'BootNotification', payload]);
}

export function statusFrame(protocol: Subprotocol, messageId: string, connector: number): string {
  const payload =
    protocol === 'ocpp1.6'
      ? { connectorId: connector, errorCode: 'NoError', status: 'Available' }
      : { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: connector, connectorId: 1 };
  return JSON.stringify([2, messageId, 'StatusNotification', payload]);
}

export function heartbeatFrame(messageId: string): string {
  return `[2,"${messageId}","Heartbeat",{}]`;
}

export function authorizeFrame(protocol: Subprotocol, messageId: string, idTag: string): string {
  const payload = protocol === 'ocpp1.6' ? { idTag } : { idToken: { idToken: idTag, type: 'ISO14443' } };
  return JSON.stringify([2, messageId, 'Authorize', payload]);
}
