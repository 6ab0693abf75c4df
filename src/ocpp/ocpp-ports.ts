/**
 * What the OCPP edge asks of the capabilities when a station connects, in
 * transport-neutral terms. Services implement these without seeing any OCPP
 * wire type (the only file under src/ocpp/ that services may import).
 */
import type { OcppVersion } from '../kernel/protocol-version.ts';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** Admitted: the station's tenant is known before any message is read, so all its traffic is attributed (issue 13). */
export type StationAdmission = { admitted: true; tenantId: string } | { admitted: false; status: 401 | 403; reason: string };

export interface ConnectionLifecycle {
  /** Decides, before the WebSocket upgrade, whether this station may connect. */
  admit(stationId: string, credentials: BasicCredentials | null): Promise<StationAdmission>;
  connected(stationId: string, version: OcppVersion, at: Date): Promise<void>;
  disconnected(stationId: string, reason: string, at: Date): Promise<void>;
  /** Returns why a station may not send this call now (e.g. it is not yet accepted), or null; `boot` says the call is the version's boot message. */
  refuseCall(stationId: string, call: { boot: boolean }): string | null;
  /** Every frame received counts as a sign of life. */
  touch(stationId: string, at: Date): void;
}

/**
 * Sees every OCPP-J frame of every station, both ways, as text (for the console's
 * recent-message log). Called on the hot path: it must be cheap and must not throw.
 */
export interface MessageTap {
  record(stationId: string, direction: 'in' | 'out', frame: string, at: Date): void;
}

/**
 * A call the CSMS makes on a station, prepared by a version adapter: a service hands
 * `action` and `payload` to the cluster untouched and reads the answer only through
 * `read`, so it never sees a wire field.
 */
export interface StationCall<T> {
  readonly action: string;
  readonly payload: unknown;
  read(answer: unknown): T;
}
