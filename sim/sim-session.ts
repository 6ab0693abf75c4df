/**
 * SimSession: the live, version-neutral handle of one charging session (one transaction) on one EVSE.
 * `station.sessions.startCharging()` returns it; its fields change as the session goes on.
 */
import type { SimMeter } from './sim-meter.ts';
import type { SimStopReason } from './sim-types.ts';

/** 2.0.1 ChargingStateEnumType; 1.6 has no such field but the handle reports it all the same. */
export type SimChargingState = 'EVConnected' | 'Charging' | 'SuspendedEV' | 'SuspendedEVSE' | 'Idle';

export interface SimStartOptions {
  /** 2.x connector within the EVSE; default the plugged-in one, else 1. */
  connectorId?: number;
  /** Set the connector's energy register before the transaction starts (1.6 meterStart). */
  meterStartWh?: number;
  /** 2.x IdTokenEnumType, default 'ISO14443'. */
  type?: string;
  /** 2.x triggerReason; default 'RemoteStart' with remoteStartId, else 'Authorized'. */
  triggerReason?: string;
  /** 2.x RequestStartTransaction remoteStartId, carried in transactionInfo. */
  remoteStartId?: number;
  /** With meterIntervalSec: meterTick({powerW, seconds: meterIntervalSec}) every meterIntervalSec seconds. */
  powerW?: number;
  meterIntervalSec?: number;
}

export interface SimStopOptions {
  /** Default 'Local'. Translated for the version (see sim-tx-messages.ts). */
  reason?: SimStopReason;
  /** 2.x triggerReason; default derived from the reason (Local -> StopAuthorized, Remote -> RemoteStop, ...). */
  triggerReason?: string;
}

export class SimSession {
  /** 1.6: the connector number; 2.x: the EVSE id. */
  readonly evseId: number;
  /** 1.6: same as evseId; 2.x: the connector within the EVSE. */
  readonly connectorId: number;
  /** Station-local key; equals transactionId in 2.x, `local-N` in 1.6. */
  readonly key: string;
  /** Token that authorized the session; undefined for a 2.x transaction started at plug-in, until authorized. */
  idToken: string | undefined;
  /** 2.x IdTokenEnumType ('ISO14443', 'Central', ...); 1.6 has no token type. */
  tokenType = 'ISO14443';
  /**
   * 1.6: the integer the CSMS returned in StartTransaction.conf, as a string (undefined until answered,
   * e.g. while a session started offline waits in the queue). 2.x: the station's UUID.
   */
  transactionId: string | undefined;
  /** The CSMS's verdict on the token (1.6 idTagInfo.status, 2.x idTokenInfo.status), once answered. */
  authorization: string | undefined;
  /** 2.x RequestStartTransaction remoteStartId, when remotely started. */
  remoteStartId: number | undefined;
  chargingState: SimChargingState = 'EVConnected';
  /** True when the transaction began while the station was offline. */
  readonly startedOffline: boolean;
  /** False once the transaction has ended (StopTransaction / TransactionEvent Ended created). */
  active = true;
  /** 1.6 StopTransaction reason / 2.x stoppedReason, once stopped. */
  stoppedReason: string | undefined;
  /** Register value when the transaction started (1.6 meterStart). */
  meterStartWh: number;
  /** When the transaction started (ISO 8601). */
  readonly startedAt = new Date().toISOString();
  /** 2.x: seqNo of the next TransactionEvent of this transaction (2.0.1 E01: 0 for the first event, +1 per event). */
  nextSeqNo = 0;
  /** Automatic MeterValues timer (startCharging meterIntervalSec). */
  meterTimer: NodeJS.Timeout | undefined;
  private readonly meter: SimMeter;

  constructor(init: { evseId: number; connectorId: number; key: string; meter: SimMeter; offline: boolean }) {
    this.evseId = init.evseId;
    this.connectorId = init.connectorId;
    this.key = init.key;
    this.meter = init.meter;
    this.startedOffline = init.offline;
    this.meterStartWh = init.meter.registerWh;
  }

  /** Current energy register of the connector in Wh. */
  get meterWh(): number {
    return this.meter.registerWh;
  }

  /** Energy delivered so far in this session, Wh. */
  get energyWh(): number {
    return this.meter.registerWh - this.meterStartWh;
  }

  /** Plain snapshot of the version-neutral facts (handy for logging and deepEqual). */
  toJSON(): Record<string, unknown> {
    return {
      evseId: this.evseId, connectorId: this.connectorId, idToken: this.idToken, transactionId: this.transactionId,
      meterWh: this.meterWh, active: this.active, authorization: this.authorization,
    };
  }
}
