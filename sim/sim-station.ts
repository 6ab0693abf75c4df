/**
 * SimStation: one simulated charging station speaking OCPP-J 1.6, 2.0.1 or 2.1 to any CSMS.
 *
 * Lifecycle: connect -> BootNotification (retried while Pending/Rejected) -> StatusNotification for
 * every connector -> Heartbeat every `interval` s. A lost connection is re-established with
 * exponential backoff (sim-link.ts) and followed by a fresh boot. Never emits 'error'.
 *
 * Events: 'open'; 'close' (code, reason); 'boot' (SimBootResult); 'call' (action, payload) for every
 * CSMS-initiated CALL it answers. Charging sessions and offline behaviour: `station.sessions` (sim-sessions.ts).
 */
import { EventEmitter } from 'node:events';
import type { SimConnectorRef, SimStationControl } from './sim-control.ts';
import { SimConnectors } from './sim-connectors.ts';
import { defaultHandlers16 } from './sim-handlers-16.ts';
import { defaultHandlers2x } from './sim-handlers-2x.ts';
import { deviceModelHandlers } from './sim-device-model.ts';
import { simDisplay } from './sim-display-messages.ts';
import { simCustomerData } from './sim-customer-information.ts';
import { installReservations, type SimReservations } from './sim-reservations.ts';
import { SimCosts } from './sim-costs.ts';
import { SimLink, type SimLinkOpenInfo } from './sim-link.ts';
import { bootRequest, parseBootResponse, statusRequest } from './sim-messages.ts';
import type { SimCallHandler } from './sim-rpc-connection.ts';
import { SimSessions } from './sim-sessions.ts';
import type { SimFaults } from './sim-faults.ts';
import type { SimMeterHabits } from './sim-meter.ts';
import {
  HEARTBEAT_KEY_16, HEARTBEAT_KEY_2X, createConfiguration16, createDeviceModel2x, type SimSettingStore,
} from './sim-settings.ts';
import { sessionHandlers16, sessionHandlers2x } from './sim-tx-handlers.ts';
import {
  SimError, isV16, subprotocolOf,
  type SimBootResult, type SimConnectorStatus, type SimOcppVersion, type SimPayload, type SimState,
  type SimStationOptions, type SimStatusExtra,
} from './sim-types.ts';

/** Heartbeat interval before the CSMS has told us one (seconds). */
const DEFAULT_HEARTBEAT_SEC = 300;
/** setInterval() cannot wait longer than 2^31-1 ms. */
const MAX_TIMER_SEC = 2_147_483;

export interface SimCallOptions {
  /** Send even while not Accepted (to test how a CSMS treats a misbehaving station). */
  force?: boolean;
  timeoutMs?: number;
}

export class SimStation extends EventEmitter {
  readonly id: string;
  readonly version: SimOcppVersion;
  readonly evses: number;
  readonly connectorsPerEvse: number;
  /** 1.6 configuration keys, or the 2.x device model (component/variable). */
  readonly settings: SimSettingStore;
  state: SimState = 'disconnected';
  heartbeatIntervalSec = DEFAULT_HEARTBEAT_SEC;
  /** Result of the last BootNotification on the current connection. */
  lastBoot: SimBootResult | undefined;
  /** Charging sessions and offline behaviour (sim-sessions.ts). */
  readonly sessions: SimSessions;
  /** ReserveNow / CancelReservation answers and the reservations the station holds (both versions). */
  readonly reservations: SimReservations;
  /** The running and final cost the CSMS sent, per transaction: what the driver would see (sim-costs.ts). */
  readonly costs: SimCosts;

  private readonly opts: SimStationOptions;
  private readonly handlers = new Map<string, SimCallHandler>();
  private readonly connectors: SimConnectors;
  private readonly link: SimLink;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private bootTimer: NodeJS.Timeout | undefined;
  /** Set by sessions.goOffline(): no reconnecting, StatusNotifications are only recorded. */
  private offline = false;

  constructor(options: SimStationOptions) {
    super();
    this.opts = options;
    this.id = options.id;
    this.version = options.version;
    this.evses = positiveInt(options.evses ?? 1, 'evses');
    this.connectorsPerEvse = isV16(options.version) ? 1 : positiveInt(options.connectorsPerEvse ?? 1, 'connectorsPerEvse');
    this.connectors = new SimConnectors(this.version, this.evses, this.connectorsPerEvse);
    this.settings = isV16(this.version)
      ? createConfiguration16(this.evses, DEFAULT_HEARTBEAT_SEC)
      : createDeviceModel2x(this.id, options.password === undefined ? 0 : 1, DEFAULT_HEARTBEAT_SEC);
    const heartbeatKey = isV16(this.version) ? HEARTBEAT_KEY_16 : HEARTBEAT_KEY_2X;
    this.settings.onChange((name, value) => {
      if (name !== heartbeatKey) return;
      this.heartbeatIntervalSec = Number(value);
      this.restartHeartbeat();
    });
    const ctl = this.control();
    this.sessions = new SimSessions(ctl);
    Object.assign(this.sessions.meterHabits, options.meterHabits);
    const send = (action: string, payload: SimPayload) => this.call(action, payload, { force: true });
    const defaults = isV16(this.version)
      ? { ...defaultHandlers16(ctl), ...sessionHandlers16(this.sessions, ctl) }
      : {
          ...defaultHandlers2x(ctl),
          ...sessionHandlers2x(this.sessions, ctl),
          // Device model reports and monitoring, display messages, customer information (2.x only).
          ...deviceModelHandlers(ctl),
          ...simDisplay({ send }).handlers,
          ...simCustomerData({ send }).handlers,
        };
    for (const [action, handler] of Object.entries(defaults)) this.handlers.set(action, handler);
    this.reservations = installReservations(this);
    // 2.x CostUpdated; 1.6 the California pricing DataTransfer (other vendors' messages go to the default answer).
    this.costs = new SimCosts(this, this.handlers.get('DataTransfer')).install();
    // Queued transaction messages go out after every Accepted boot (after the StatusNotifications).
    this.on('boot', (r: SimBootResult) => { if (r.status === 'Accepted') setImmediate(() => this.sessions.resume()); });

    this.link = new SimLink({
      url: options.url,
      id: options.id,
      subprotocol: subprotocolOf(this.version),
      password: options.password,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      callTimeoutMs: options.callTimeoutMs ?? 30_000,
      handlers: this.handlers,
      dialect: isV16(this.version) ? '1.6' : '2.x',
      // 1.6 §4.2: "While Rejected, the Charge Point SHALL NOT respond to any Central System initiated message."
      shouldAnswer: () => !(isV16(this.version) && this.state === 'rejected'),
      reconnect: options.reconnect === false ? false : {
        minMs: options.reconnect?.minMs ?? 1000,
        maxMs: options.reconnect?.maxMs ?? 60_000,
      },
      resetDelayMs: options.resetDelayMs ?? 500,
      log: (line) => this.log(line),
    });
    this.link.on('open', (info: SimLinkOpenInfo) => this.onOpen(info));
    this.link.on('close', (code: number, reason: string) => this.onClose(code, reason));
    this.link.on('call', (action: string, payload: SimPayload) => this.emit('call', action, payload));
  }

  /** How the station writes meter readings (unit, decimals, multiplier, rounding: sim-meter.ts); same object as `sessions.meterHabits`. */
  get meterHabits(): SimMeterHabits {
    return this.sessions.meterHabits;
  }

  /** Fault switches that make sessions stuck (sim-faults.ts); same object as `sessions.faults`. */
  get faults(): SimFaults {
    return this.sessions.faults;
  }

  get connected(): boolean {
    return this.link.connected;
  }

  /**
   * Connect; with autoBoot also boot and wait for the first BootNotification answer (and, when
   * Accepted, for the initial StatusNotifications). Rejects with SimError (`.statusCode` when the
   * upgrade was refused); a failed first connect is not retried.
   */
  async start(): Promise<SimBootResult | undefined> {
    if (this.link.running) throw new SimError('AlreadyStarted', `${this.id} is already started`);
    this.state = 'connecting';
    try {
      await this.link.open();
    } catch (err) {
      this.state = 'disconnected';
      throw err;
    }
    if (this.opts.autoBoot === false) return undefined;
    return this.bootSequence(this.opts.bootReason ?? 'PowerUp');
  }

  /** Close the connection and stop reconnecting. */
  async stop(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.bootTimer);
    this.sessions.dispose();
    this.offline = false;
    await this.link.close();
    this.state = 'disconnected';
  }

  /** Kill the socket without a closing handshake, like a flaky modem. Reconnects if enabled. */
  dropConnection(): Promise<void> {
    return this.link.drop();
  }

  /** Send BootNotification; with autoBoot a Pending/Rejected answer keeps the retry loop going. */
  boot(reason: string = this.opts.bootReason ?? 'PowerUp'): Promise<SimBootResult> {
    return this.opts.autoBoot === false ? this.bootOnce(reason) : this.bootSequence(reason);
  }

  async heartbeat(): Promise<{ currentTime: string }> {
    const res = await this.call('Heartbeat', {});
    return { currentTime: typeof res.currentTime === 'string' ? res.currentTime : '' };
  }

  /**
   * Record and report a connector status. 1.6: evseId is the connector number (0 = whole station),
   * connectorId is ignored. The status is kept even when sending fails (e.g. NotAccepted) and is
   * re-reported after the next boot.
   */
  async setStatus(evseId: number, connectorId: number, status: SimConnectorStatus, extra: SimStatusExtra = {}): Promise<void> {
    const ref = this.connectors.ref(evseId, connectorId);
    this.connectors.set(ref, status, extra);
    if (this.offline) return this.log(`offline: StatusNotification ${status} dropped`);
    await this.reportStatus(ref, false);
  }

  /** Last recorded status of a connector (1.6: connectorId ignored). */
  getStatus(evseId: number, connectorId = 1): string {
    return this.connectors.get(this.connectors.ref(evseId, connectorId)).status;
  }

  /** Send StatusNotification with the current status of every connector. Never rejects. */
  async sendAllStatuses(): Promise<void> {
    const results = await Promise.allSettled(this.connectors.refs().map((ref) => this.reportStatus(ref, false)));
    for (const r of results) if (r.status === 'rejected') this.log(`StatusNotification failed: ${String(r.reason)}`);
  }

  /**
   * Raw CALL. While not Accepted only BootNotification may be sent (1.6 §4.2, 2.0.1 B02/B03);
   * anything else rejects with code NotAccepted unless `force` is set.
   */
  async call(action: string, payload: SimPayload, options: SimCallOptions = {}): Promise<SimPayload> {
    const conn = this.link.conn;
    if (!conn || !conn.isOpen) throw new SimError('NotConnected', `${this.id} is not connected`);
    if (!options.force && action !== 'BootNotification' && this.state !== 'accepted') {
      throw new SimError('NotAccepted', `${this.id} may not send ${action} while ${this.state} (only BootNotification)`);
    }
    return conn.call(action, payload, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  }

  /** Register (or replace a default) handler for a CSMS-initiated CALL. */
  handle(action: string, handler: SimCallHandler): void {
    this.handlers.set(action, handler);
  }

  // ---- internals -------------------------------------------------------------------------

  private log(line: string): void {
    this.opts.log?.(`[${this.id}] ${line}`);
  }

  private onOpen(info: SimLinkOpenInfo): void {
    this.lastBoot = undefined;
    this.state = 'open';
    this.emit('open');
    if (!info.reconnect || this.opts.autoBoot === false) return;
    // After a reconnect (or a Reset) the station boots again and re-reports every connector.
    this.bootSequence(info.bootReason ?? this.opts.bootReason ?? 'PowerUp')
      .catch((err: unknown) => this.log(`boot failed: ${(err as Error).message}`));
  }

  private onClose(code: number, reason: string): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.bootTimer);
    this.state = 'disconnected';
    this.emit('close', code, reason);
  }

  /** One BootNotification round trip; updates state, heartbeat interval and emits 'boot'. */
  private async bootOnce(reason: string): Promise<SimBootResult> {
    const response = await this.call('BootNotification', bootRequest(this.version, {
      vendor: this.opts.vendor ?? 'Chargebridge',
      model: this.opts.model ?? 'SimStation',
      serialNumber: this.opts.serialNumber ?? this.id,
      firmwareVersion: this.opts.firmwareVersion ?? '0.1.0-sim',
      iccid: this.opts.iccid,
      imsi: this.opts.imsi,
    }, reason));
    const result = parseBootResponse(response);
    this.lastBoot = result;
    this.state = result.status === 'Accepted' ? 'accepted' : result.status === 'Pending' ? 'pending' : 'rejected';
    this.log(`boot ${result.status} interval=${result.interval}`);
    if (result.status === 'Accepted' && result.interval > 0) {
      // 1.6 §4.2 / 2.0.1 B01: when Accepted, interval is the heartbeat interval.
      this.settings.setInternal(isV16(this.version) ? HEARTBEAT_KEY_16 : HEARTBEAT_KEY_2X, String(result.interval));
    }
    this.restartHeartbeat();
    this.emit('boot', result);
    return result;
  }

  /**
   * Boot until Accepted. Resolves with the first answer (after the initial StatusNotifications when
   * Accepted); while Pending/Rejected it re-sends BootNotification after `interval` s, not earlier
   * (1.6 §4.2; 2.0.1 B02 Pending / B03 Rejected), and gives up when the connection goes away.
   */
  private bootSequence(reason: string): Promise<SimBootResult> {
    clearTimeout(this.bootTimer);
    const gen = this.link.generation;
    return new Promise<SimBootResult>((resolve, reject) => {
      let first = true;
      const once = (fn: () => void): void => { if (first) { first = false; fn(); } };
      const alive = (): boolean => gen === this.link.generation && this.link.running && this.connected;
      const attempt = async (): Promise<void> => {
        this.bootTimer = undefined;
        if (!alive()) {
          once(() => reject(new SimError('ConnectionClosed', `${this.id} lost its connection while booting`)));
          return;
        }
        let result: SimBootResult;
        try {
          result = await this.bootOnce(reason);
        } catch (err) {
          once(() => reject(err as Error));
          if (alive()) this.bootTimer = setTimeout(() => void attempt(), this.retryDelayMs(0));
          return;
        }
        if (result.status === 'Accepted') {
          await this.sendAllStatuses();
          once(() => resolve(result));
          return;
        }
        once(() => resolve(result));
        if (alive()) this.bootTimer = setTimeout(() => void attempt(), this.retryDelayMs(result.interval));
      };
      void attempt();
    });
  }

  /** 1.6 §4.2: with interval 0 the station picks its own wait; we use at least 1 s unless bootRetryMs is set. */
  private retryDelayMs(intervalSec: number): number {
    return this.opts.bootRetryMs ?? Math.max(1, intervalSec) * 1000;
  }

  private restartHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    if (this.opts.heartbeats === false || this.state !== 'accepted' || !(this.heartbeatIntervalSec > 0)) return;
    const ms = Math.min(this.heartbeatIntervalSec, MAX_TIMER_SEC) * 1000;
    this.heartbeatTimer = setInterval(() => {
      this.heartbeat().catch((err: unknown) => this.log(`heartbeat failed: ${(err as Error).message}`));
    }, ms);
  }

  private async reportStatus(ref: SimConnectorRef, triggered: boolean): Promise<void> {
    const entry = this.connectors.get(ref);
    const payload = statusRequest(this.version, ref.evseId, ref.connectorId, entry.status, entry.extra);
    await this.call('StatusNotification', payload, { force: triggered });
  }

  private control(): SimStationControl {
    return {
      version: this.version,
      evses: this.evses,
      connectorsPerEvse: this.connectorsPerEvse,
      settings: this.settings,
      registration: () => this.lastBoot?.status,
      connectors: () => this.connectors.refs(),
      setStoredStatus: (ref, status) => this.connectors.set(ref, status),
      reportStatus: (ref, triggered) => this.reportStatus(ref, triggered),
      sendHeartbeat: async (triggered) => { await this.call('Heartbeat', {}, { force: triggered }); },
      send: (action, payload, triggered) => this.call(action, payload, { force: triggered }),
      sendBoot: async (reason) => { await this.boot(reason); },
      reboot: (reason) => this.link.restart(reason),
      endSessions: (reason) => this.sessions.stopAllForReset(reason),
      log: (line) => this.log(line),
      ref: (evseId, connectorId) => this.connectors.ref(evseId, connectorId),
      online: () => !this.offline && this.state === 'accepted' && this.connected,
      isOffline: () => this.offline,
      goOffline: async () => {
        this.offline = true;
        await this.link.close({ abrupt: true });
      },
      goOnline: () => this.comeOnline(),
    };
  }

  /** Leave offline mode: connect unless connected, then wait for an Accepted boot (or reject on close). */
  private async comeOnline(): Promise<void> {
    this.offline = false;
    if (!this.link.running) await this.start();
    if (this.state === 'accepted') return;
    await new Promise<void>((resolve, reject) => {
      const finish = (err?: Error): void => {
        this.off('boot', onBoot);
        this.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onBoot = (r: SimBootResult): void => { if (r.status === 'Accepted') finish(); };
      const onClose = (): void => finish(new SimError('ConnectionClosed', `${this.id} disconnected before being Accepted`));
      this.on('boot', onBoot);
      this.on('close', onClose);
    });
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
