/**
 * The seam between "a capability wants to talk to station X" and "which
 * process holds X's socket". Nothing outside src/ocpp and src/cluster touches
 * a socket. The in-process implementation serves one node; a NATS
 * implementation of the same port serves a cluster.
 */
import type { OcppVersion } from '../kernel/protocol-version.ts';
import type { StationCall } from '../ocpp/ocpp-ports.ts';

/** A locally held connection, as the cluster sees it. */
export interface StationLink {
  readonly stationId: string;
  readonly version: OcppVersion;
  readonly connectedAt: Date;
  call(action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  close(code: number, reason: string): void;
}

export interface StationLocation {
  stationId: string;
  nodeId: string;
  version: OcppVersion;
  connectedAt: Date;
}

export interface ClusterPort {
  readonly nodeId: string;
  /**
   * Registers a connection held by this node. Any older connection of the
   * same station (on this node or another) is closed: the newest socket wins.
   */
  attach(link: StationLink): Promise<void>;
  /** Removes the link if it is still the current one; returns whether it was. */
  detach(link: StationLink): Promise<boolean>;
  locate(stationId: string): Promise<StationLocation | null>;
  /** Delivers an outgoing OCPP call to the node holding the station and returns its answer. */
  call(stationId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  /** Closes the station's connection wherever it is held (e.g. the station was deleted). */
  disconnect(stationId: string, reason: string): Promise<void>;
  /** Stations whose sockets this node holds. */
  localStationIds(): string[];
  /** Stations connected to any node (an operator's listing: one request per node, never per station). */
  connectedStationIds(): Promise<string[]>;
  close(): Promise<void>;
}

/** Sends a call prepared by a version adapter and reads the station's answer with it. */
export async function callStation<T>(cluster: Pick<ClusterPort, 'call'>, stationId: string, call: StationCall<T>, options?: { timeoutMs?: number }): Promise<T> {
  return call.read(await cluster.call(stationId, call.action, call.payload, options));
}
