/**
 * Station events core: what a station reports about itself outside transactions
 * (security events, device events and faults, firmware and log upload progress,
 * certificate requests, charging limits and EV charging needs, reports of
 * installed charging profiles), in one version-neutral shape. Later capabilities
 * (firmware, certificates, load management) add behaviour on top of the events
 * kept here; the station gets a correct answer from the first day.
 *
 * Pure: no I/O, time and ids come in as values.
 */

import type { MeterSample } from '../transactions/index.ts';

/** The kinds of event, in the API's words (never an OCPP action name). */
export const STATION_EVENT_KINDS = [
  /** A security event (1.6 security extension, 2.x A04): type and technical info. */
  'security',
  /** A device-model event (2.x N07 NotifyEvent): component, variable, trigger, value, maybe a problem. */
  'device',
  /** Firmware download/installation progress (1.6 FirmwareStatus / SignedFirmwareStatus, 2.x L01). */
  'firmware-status',
  /** A local controller publishing firmware (2.x L03/L04). */
  'firmware-publish-status',
  /** Diagnostics / log upload progress (1.6 DiagnosticsStatus, security extension and 2.x LogStatus). */
  'log-status',
  /** The station asks the CSMS to sign a certificate (1.6 security extension, 2.x A02/A03). */
  'certificate-signing-request',
  /** The station relays an ISO 15118 certificate installation or update request of the EV. */
  'ev-certificate-request',
  /** The station asks for an OCSP certificate status. */
  'certificate-status-request',
  /** An external system (EMS, DSO, SO) limited charging, or cleared its limit. */
  'charging-limit',
  'charging-limit-cleared',
  /** The EV's energy needs (ISO 15118) and the schedule it chose. */
  'ev-charging-needs',
  'ev-charging-schedule',
  /** The charging profiles installed on the station, as it reported them. */
  'charging-profiles-report',
] as const;
export type StationEventKind = (typeof STATION_EVENT_KINDS)[number];

/** Where on the station something happened: the whole station, an EVSE, or a connector of an EVSE. */
export interface StationLocation {
  evseId: number | null;
  connectorId: number | null;
}

/** A device-model address: a component (maybe an instance), a variable (maybe an instance). */
export interface DeviceAddress {
  component: string;
  componentInstance?: string;
  variable: string;
  variableInstance?: string;
}

/** One event as the version adapter reads it: neutral fields the CSMS decides on, and the station's own words as detail. */
export interface StationEventReport extends StationLocation {
  kind: StationEventKind;
  /** The station's word for what happened (a security event type, a firmware status, an event trigger, a limit source). */
  type: string;
  /** When it happened by the station's clock, or when it was received when the message has no time. */
  at: Date;
  /** A fault the station reports (see problemReading): it shows among the station's problems until cleared. */
  problem: boolean;
  /** The condition the event is about is over: the problem with the same key ends. */
  cleared: boolean;
  device?: DeviceAddress;
  /** The station's own request id (firmware, log, report requests), for the capability that asked. */
  requestId?: number;
  /** A short human line: what the console shows. */
  summary: string;
  /** Everything else the station sent, kept as is (never interpreted here). */
  detail: Record<string, unknown>;
}

export interface StationEvent extends StationEventReport {
  id: string;
  stationId: string;
  tenantId: string;
  receivedAt: Date;
}

/** An active problem: raised by an event, shown until an event clears it. */
export interface StationProblem extends StationLocation {
  stationId: string;
  tenantId: string;
  /** Identifies the faulty thing: the same key is raised once and cleared once. */
  key: string;
  device: DeviceAddress | null;
  since: Date;
  /** The event that raised it, by the CSMS's id. */
  eventId: string;
  summary: string;
  /** The statuses the fault replaced, given back when it clears (see problemTargets). */
  statusBefore?: ConnectorSnapshot[];
}

/** The key of the faulty thing an event is about: component[instance] @ evse/connector / variable[instance]. */
export function problemKey(event: Pick<StationEventReport, 'device' | 'evseId' | 'connectorId' | 'type'>): string {
  const where = `${event.evseId ?? '-'}/${event.connectorId ?? '-'}`;
  const d = event.device;
  if (!d) return `${where}|${event.type}`;
  const c = d.componentInstance ? `${d.component}[${d.componentInstance}]` : d.component;
  const v = d.variableInstance ? `${d.variable}[${d.variableInstance}]` : d.variable;
  return `${where}|${c}|${v}`;
}

export type ProblemChange = { kind: 'raise'; problem: StationProblem } | { kind: 'clear'; key: string } | { kind: 'none' };

/**
 * Device-model variables whose `true` means the component is faulty (the 2.x standard
 * variables Problem, Tripped and Overload); `false`, or an event marked cleared, ends it.
 */
export const PROBLEM_VARIABLES: ReadonlySet<string> = new Set(['problem', 'tripped', 'overload']);

/** Whether a device event raises a problem, clears one, or neither. */
export function problemReading(variable: string, value: string, clearedFlag: boolean): { problem: boolean; cleared: boolean } {
  const isProblemVariable = PROBLEM_VARIABLES.has(variable.toLowerCase());
  const on = value.trim().toLowerCase() === 'true';
  if (clearedFlag) return { problem: false, cleared: true };
  if (!isProblemVariable) return { problem: false, cleared: false };
  return on ? { problem: true, cleared: false } : { problem: false, cleared: true };
}

/** What an event does to the station's problems: a problem raises its key (a repeat keeps the first `since`), a clearing event ends it. */
export function problemChange(event: StationEvent): ProblemChange {
  if (event.kind !== 'device') return { kind: 'none' };
  const key = problemKey(event);
  if (event.problem) {
    return {
      kind: 'raise',
      problem: {
        stationId: event.stationId,
        tenantId: event.tenantId,
        key,
        device: event.device ?? null,
        evseId: event.evseId,
        connectorId: event.connectorId,
        since: event.at,
        eventId: event.id,
        summary: event.summary,
      },
    };
  }
  return event.cleared ? { kind: 'clear', key } : { kind: 'none' };
}

/** The longest summary kept (the detail keeps everything). */
export const SUMMARY_MAX = 300;

export function summarise(parts: readonly (string | number | undefined | null)[]): string {
  const text = parts.filter((p) => p !== undefined && p !== null && p !== '').join(' · ');
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

/**
 * One meter reading a station sent outside any transaction (a site meter, the station's idle
 * consumption): a transaction's sample (energy in Wh, power in W) with the EVSE it came from.
 */
export type StationMeterSample = Omit<MeterSample, 'resolutionWh'> & { evseId: number };

// --- Problems in the status vocabulary ---------------------------------------------------

/** A connector's status as the stations capability keeps it (EVSE 0, connector 0: the station itself). */
export interface ConnectorSnapshot {
  evseId: number;
  connectorId: number;
  status: string;
  activity: string | null;
  ocppStatus: string | null;
  errorCode: string | null;
  info: string | null;
}

/** The error code a fault the CSMS derived from a device event carries, so it can be told from one the station reported. */
export const PROBLEM_ERROR_PREFIX = 'problem:';

export function problemErrorCode(problem: Pick<StationProblem, 'device' | 'key'>): string {
  return `${PROBLEM_ERROR_PREFIX}${problem.device ? `${problem.device.component}/${problem.device.variable}` : problem.key}`;
}

/** The connectors a problem puts out of service: its connector, every connector of its EVSE, or the station itself. */
export function problemTargets(problem: StationLocation, connectors: readonly ConnectorSnapshot[]): { evseId: number; connectorId: number }[] {
  if (problem.evseId === null) return [{ evseId: 0, connectorId: 0 }];
  if (problem.connectorId !== null) return [{ evseId: problem.evseId, connectorId: problem.connectorId }];
  const ofEvse = connectors.filter((c) => c.evseId === problem.evseId).map((c) => ({ evseId: c.evseId, connectorId: c.connectorId }));
  return ofEvse.length > 0 ? ofEvse : [{ evseId: problem.evseId, connectorId: 1 }];
}

/** A Faulted status the CSMS derived from a problem (not one the station reported). */
export const isDerivedFault = (status: ConnectorSnapshot | undefined): boolean => status?.status === 'Faulted' && (status.errorCode ?? '').startsWith(PROBLEM_ERROR_PREFIX);

/**
 * Whether a cleared problem may give a connector its status back: only when the status is still a
 * fault the CSMS derived (the station reported nothing since) and no other active problem covers it.
 */
export function mayRestore(current: ConnectorSnapshot | undefined, stillCovered: boolean): boolean {
  return isDerivedFault(current) && !stillCovered;
}
