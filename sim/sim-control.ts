/**
 * The narrow view of a SimStation that the default CSMS-call handlers need.
 * Keeping it an interface lets sim-handlers-*.ts stay free of socket and timer details.
 */
import type { SimSettingStore } from './sim-settings.ts';
import type { SimBootStatus, SimOcppVersion, SimStopReason } from './sim-types.ts';

export interface SimConnectorRef {
  /** 1.6: the connector number (0 = whole Charge Point). 2.x: the EVSE id (1..n). */
  evseId: number;
  /** 1.6: same as evseId. 2.x: connector id within the EVSE (1..n). */
  connectorId: number;
}

export interface SimStationControl {
  readonly version: SimOcppVersion;
  readonly evses: number;
  readonly connectorsPerEvse: number;
  /** 1.6 configuration keys or the 2.x device model. */
  readonly settings: SimSettingStore;
  /** Status of the last BootNotification response on this connection, if any. */
  registration(): SimBootStatus | undefined;
  /** Every connector the station reports (1.6 includes connector 0). */
  connectors(): SimConnectorRef[];
  /** Record a status without sending it. */
  setStoredStatus(ref: SimConnectorRef, status: string): void;
  /** Send the stored status of one connector; `triggered` lets it through while not Accepted. */
  reportStatus(ref: SimConnectorRef, triggered: boolean): Promise<void>;
  sendHeartbeat(triggered: boolean): Promise<void>;
  /** Send any CALL; `triggered` lets it through while not Accepted (a TriggerMessage answer). */
  send(action: string, payload: Record<string, unknown>, triggered: boolean): Promise<unknown>;
  /** Send BootNotification (and continue the boot sequence); 2.x reason e.g. 'Triggered'. */
  sendBoot(reason: string): Promise<void>;
  /** Close the connection and come back with a fresh boot (Reset). */
  reboot(reason: string): void;
  /** Stop running sessions before a Reset (1.6 §5.14, 2.0.1 B11), unless a fault says otherwise. */
  endSessions(reason: SimStopReason): Promise<void>;
  /** Validate and normalise a connector address (1.6 ignores connectorId); RangeError when unknown. */
  ref(evseId: number, connectorId: number): SimConnectorRef;
  /** Connected, Accepted and not deliberately offline: messages can be sent now. */
  online(): boolean;
  /** True between goOffline() and goOnline(). */
  isOffline(): boolean;
  /** Cut the connection abruptly and stay disconnected (no reconnect) until goOnline(). */
  goOffline(): Promise<void>;
  /** Reconnect (when not connected) and boot; resolves once a BootNotification is Accepted. */
  goOnline(): Promise<void>;
  log(line: string): void;
}
