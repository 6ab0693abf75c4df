/**
 * Stations core: the version-neutral model of a charging station and the
 * pure decisions about it. No I/O, no clock reads: time comes in as values.
 */
import type { OcppVersion } from '../../kernel/protocol-version.ts';

export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

/** One status vocabulary for every version (the OCPP 2.0.1 ConnectorStatusEnumType). */
export type ConnectorStatus = 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';

export const CONNECTOR_STATUSES: readonly ConnectorStatus[] = ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'];

/** Security profile 0 = no credentials (development only), 1 = HTTP Basic over ws, 2 = Basic over TLS, 3 = client certificate. */
export type SecurityProfile = 0 | 1 | 2 | 3;

export interface StationIdentity {
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  iccid: string | null;
  imsi: string | null;
}

export interface Station extends StationIdentity {
  id: string;
  /** The organisation that owns the station (issue 13, ADR 20). */
  tenantId: string;
  securityProfile: SecurityProfile;
  hasPassword: boolean;
  siteId: string | null;
  labels: Record<string, string>;
  registrationStatus: RegistrationStatus;
  ocppVersion: OcppVersion | null;
  lastBootAt: Date | null;
  lastBootReason: string | null;
  lastSeenAt: Date | null;
  connectedAt: Date | null;
  disconnectedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What goes on at an occupied connector, in the same words for every version. 1.6 says it in
 * its connector status; 2.x says it only in TransactionEvent's charging state, so a 2.x
 * status report leaves it null.
 */
export type ConnectorActivity = 'preparing' | 'charging' | 'suspended-by-ev' | 'suspended-by-station' | 'finishing';

/**
 * A connector's latest state. evseId 0 / connectorId 0 is the station itself
 * (OCPP 1.6 connectorId 0, OCPP 2.0.1 evseId 0).
 */
export interface ConnectorState {
  evseId: number;
  connectorId: number;
  status: ConnectorStatus;
  activity: ConnectorActivity | null;
  /** The version's own status as the station sent it (1.6 "SuspendedEV"), shown to operators, never decided on. */
  ocppStatus: string | null;
  errorCode: string | null;
  info: string | null;
  reportedAt: Date;
}

/** A StatusNotification translated by a version adapter. */
export type StatusReport = Omit<ConnectorState, 'reportedAt'> & { reportedAt: Date };

export interface BootReport {
  identity: StationIdentity;
  reason: string | null;
}

export interface BootDecision {
  status: RegistrationStatus;
  intervalSec: number;
}

export interface BootPolicy {
  heartbeatIntervalSec: number;
  retryIntervalSec: number;
}

/**
 * OCPP 1.6 §4.2 / OCPP 2.0.1 B01-B03: an Accepted station gets the heartbeat
 * interval; Pending and Rejected get the interval after which to retry.
 */
export function decideBoot(status: RegistrationStatus, policy: BootPolicy): BootDecision {
  return { status, intervalSec: status === 'Accepted' ? policy.heartbeatIntervalSec : policy.retryIntervalSec };
}

/**
 * EVSE and connector numbers: 0 (the station) up to the largest 32-bit
 * integer. The schemas set no maximum; a larger number is no real connector.
 */
export function isTopologyNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0x7fffffff;
}

export interface EvseView {
  id: number;
  connectors: Array<Omit<ConnectorState, 'evseId'>>;
}

export interface TopologyView {
  /** Status of the station as a whole (1.6 connector 0 / 2.0.1 evse 0), when reported. */
  stationStatus: Omit<ConnectorState, 'evseId' | 'connectorId'> | null;
  evses: EvseView[];
}

/** Groups connector rows into station -> EVSEs -> connectors, ordered by id. */
export function buildTopology(connectors: readonly ConnectorState[]): TopologyView {
  let stationStatus: TopologyView['stationStatus'] = null;
  const evses = new Map<number, EvseView>();
  for (const row of [...connectors].sort((a, b) => a.evseId - b.evseId || a.connectorId - b.connectorId)) {
    const { evseId, ...connector } = row;
    if (evseId === 0) {
      const { connectorId: _c, ...rest } = connector;
      stationStatus = rest;
      continue;
    }
    const evse = evses.get(evseId) ?? { id: evseId, connectors: [] };
    evses.set(evseId, evse);
    evse.connectors.push(connector);
  }
  return { stationStatus, evses: [...evses.values()] };
}
