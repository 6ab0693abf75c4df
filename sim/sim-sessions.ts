/**
 * SimSessions (`station.sessions`): script charging sessions with one API for OCPP 1.6 and 2.0.1/2.1.
 *
 *   1.6 (§4.8-§4.10): plugIn -> Preparing; startCharging -> StartTransaction (the CSMS numbers it) ->
 *   Charging; meterTick -> MeterValues; stopCharging -> StopTransaction -> Finishing; unplug -> Available.
 *   2.x (E01-E07): plugIn -> Occupied and, when TxCtrlr.TxStartPoint lists EVConnected (default), the
 *   transaction starts right away (Started, CablePluggedIn, chargingState EVConnected); startCharging adds
 *   the token (Updated, Authorized / RemoteStart) or, without a plug-in start, sends Started itself;
 *   meterTick -> Updated (MeterValuePeriodic); stopCharging -> Ended; unplug -> Available.
 *
 * Transaction messages go through SimTxQueue: while offline they are queued (2.x events get offline=true)
 * and replayed in order once online; StatusNotifications made while offline are dropped (only recorded).
 */
import { randomUUID } from 'node:crypto';
import type { SimConnectorRef, SimStationControl } from './sim-control.ts';
import { DEFAULT_METER_HABITS, SimMeter, meterValueOf, type SimMeterHabits } from './sim-meter.ts';
import { SimSession, type SimStartOptions, type SimStopOptions } from './sim-session.ts';
import {
  meterValues16, reason16, reason2x, startTransaction16, stopTrigger2x, stopTransaction16, tokenStatus, transactionEvent,
} from './sim-tx-messages.ts';
import { offlineStartAllowed, startsAt, stopOnInvalidId } from './sim-tx-policy.ts';
import { SimTxQueue, type SimQueuedMessage, type SimReplayOrder, type SimTxEntry } from './sim-tx-queue.ts';
import { SimError, isV16, type SimPayload, type SimStopReason } from './sim-types.ts';
import { SimFaults } from './sim-faults.ts';

export class SimSessions {
  /** Applied to sessions started without powerW/meterIntervalSec (also remote starts). */
  autoMeter: { powerW: number; intervalSec: number } | undefined;
  /** Fault switches (sim-faults.ts); `station.faults` is the same object. */
  readonly faults = new SimFaults();
  /** How the meters write their readings (sim-meter.ts); `station.meterHabits` is the same object. */
  readonly meterHabits: SimMeterHabits = { ...DEFAULT_METER_HABITS };
  private readonly ctl: SimStationControl;
  private readonly v16: boolean;
  private readonly queue: SimTxQueue;
  private readonly meters = new Map<number, SimMeter>();
  private readonly plugged = new Map<number, number>();
  private readonly sessions = new Map<number, SimSession>();
  private readonly starting = new WeakSet<SimSession>();
  private localSeq = 0;

  constructor(ctl: SimStationControl) {
    this.ctl = ctl;
    this.v16 = isV16(ctl.version);
    this.queue = new SimTxQueue({
      send: async (action, payload) => (await ctl.send(action, payload, false)) as SimPayload,
      canSend: () => ctl.online(),
      log: (line) => ctl.log(line),
    });
  }

  // ---- scripting API ----------------------------------------------------------------------

  /** Active session of an EVSE (1.6: connector), if any. */
  get(evseId: number): SimSession | undefined {
    return this.sessions.get(evseId);
  }

  list(): SimSession[] {
    return [...this.sessions.values()];
  }

  /** Active session by transactionId (1.6: the CSMS's integer as a string). */
  find(transactionId: string): SimSession | undefined {
    return this.list().find((s) => s.transactionId === transactionId);
  }

  isPluggedIn(evseId: number): boolean {
    return this.plugged.has(evseId);
  }

  /** Cable in: 1.6 Preparing (§4.9); 2.x Occupied, plus TransactionEvent Started when TxStartPoint has EVConnected. */
  async plugIn(evseId: number, connectorId = 1, options: { meterStartWh?: number } = {}): Promise<SimSession | undefined> {
    const ref = this.refOf(evseId, connectorId);
    if (this.plugged.has(ref.evseId)) throw new SimError('AlreadyPluggedIn', `evse ${evseId} already has a cable plugged in`);
    if (options.meterStartWh !== undefined) this.meterOf(ref.evseId).set(options.meterStartWh);
    this.plugged.set(ref.evseId, ref.connectorId);
    await this.status(ref, this.v16 ? 'Preparing' : 'Occupied');
    if (!startsAt(this.ctl.version, this.ctl.settings, 'EVConnected') || this.sessions.has(ref.evseId)) return undefined;
    const s = this.open(ref);
    try {
      await this.deliver(transactionEvent(s, 'Started', {
        triggerReason: 'CablePluggedIn', offline: !this.ctl.online(), timestamp: s.startedAt,
        meterValue: this.meterOf(ref.evseId).meterValue(this.ctl.version, 'Transaction.Begin', false, s.startedAt),
      }));
    } catch (err) {
      this.rollbackStart(s, true);
      throw err;
    }
    return s;
  }

  /** Authorize a token: the CSMS's answer as {status}; offline, the local rule (C15 / 1.6 §3.4) with offline: true. */
  async authorize(idToken: string, type = 'ISO14443'): Promise<{ status: string; offline?: true }> {
    if (!this.ctl.online()) {
      return { status: this.offlineStartAllowed() ? 'Accepted' : this.v16 ? 'Invalid' : 'Unknown', offline: true };
    }
    const res = (await this.ctl.send('Authorize', this.v16 ? { idTag: idToken } : { idToken: { idToken, type } }, false)) as SimPayload;
    return { status: tokenStatus(this.v16 ? res.idTagInfo : res.idTokenInfo) ?? 'Invalid' };
  }

  /** Start (or, 2.x after a plug-in start, authorize) the transaction and begin charging. */
  async startCharging(evseId: number, idToken: string, o: SimStartOptions = {}): Promise<SimSession> {
    const existing = this.sessions.get(evseId);
    if (existing?.idToken !== undefined) throw new SimError('Busy', `evse ${evseId} already has an authorized session`);
    const ref = this.refOf(evseId, existing?.connectorId ?? o.connectorId ?? this.plugged.get(evseId) ?? 1);
    if (!this.ctl.online() && !this.offlineStartAllowed()) {
      throw new SimError('NotAuthorized', `offline: unknown id ${idToken} may not start (offline authorization settings)`);
    }
    if (!this.plugged.has(ref.evseId)) {
      this.plugged.set(ref.evseId, ref.connectorId);
      await this.status(ref, this.v16 ? 'Preparing' : 'Occupied');
    }
    if (o.meterStartWh !== undefined && !existing) this.meterOf(ref.evseId).set(o.meterStartWh);
    const s = existing ?? this.open(ref);
    s.idToken = idToken;
    s.tokenType = o.type ?? 'ISO14443';
    s.remoteStartId = o.remoteStartId;
    s.chargingState = 'Charging';
    const now = new Date().toISOString();
    const entry = this.v16 ? startTransaction16(s, now) : transactionEvent(s, existing ? 'Updated' : 'Started', {
      triggerReason: o.triggerReason ?? (o.remoteStartId === undefined ? 'Authorized' : 'RemoteStart'),
      offline: !this.ctl.online(), idToken: true, remoteStartId: o.remoteStartId, timestamp: now,
      meterValue: existing ? undefined : this.meterOf(ref.evseId).meterValue(this.ctl.version, 'Transaction.Begin', false, now),
    });
    this.watchAuthorization(entry, s);
    this.starting.add(s);
    try {
      await this.deliver(entry);
    } catch (err) {
      this.rollbackStart(s, !existing);
      throw err;
    } finally {
      this.starting.delete(s);
    }
    // 1.6 §4.8 / 2.0.1 E05: a token the CSMS refuses ends the transaction when StopTransactionOnInvalidId is set.
    if (this.shouldDeauthorize(s)) return this.stopCharging(evseId, { reason: 'DeAuthorized' });
    if (this.v16) await this.status(ref, 'Charging');
    const powerW = o.powerW ?? this.autoMeter?.powerW;
    const every = o.meterIntervalSec ?? this.autoMeter?.intervalSec;
    if (powerW !== undefined && every !== undefined && every > 0) this.startAutoMeter(s, powerW, every);
    return s;
  }

  /** Charge at powerW for `seconds` and report it: 1.6 MeterValues / 2.x Updated (MeterValuePeriodic). */
  async meterTick(evseId: number, tick: { powerW: number; seconds: number }): Promise<void> {
    const s = this.sessions.get(evseId);
    if (!s) throw new SimError('NoSession', `evse ${evseId} has no active session`);
    const meter = this.meterOf(evseId);
    if (this.faults.meterBackwards) meter.set(Math.max(0, meter.registerWh - (tick.powerW * tick.seconds) / 3600));
    else meter.advance(tick.powerW, tick.seconds);
    const mv = meter.meterValue(this.ctl.version, 'Sample.Periodic', true);
    await this.deliver(this.v16 ? meterValues16(s, mv) : transactionEvent(s, 'Updated', {
      triggerReason: 'MeterValuePeriodic', offline: !this.ctl.online(), meterValue: mv, timestamp: String(mv.timestamp),
    }));
  }

  /** End the transaction: 1.6 StopTransaction then Finishing (Available for EVDisconnected); 2.x Ended. */
  async stopCharging(evseId: number, o: SimStopOptions = {}): Promise<SimSession> {
    const s = this.sessions.get(evseId);
    if (!s) throw new SimError('NoSession', `evse ${evseId} has no active session`);
    const reason = o.reason ?? 'Local';
    const unplugged = reason === 'EVDisconnected';
    clearInterval(s.meterTimer);
    this.sessions.delete(evseId);
    s.active = false;
    s.chargingState = 'Idle';
    s.stoppedReason = this.v16 ? reason16(reason) : reason2x(reason);
    if (unplugged) this.plugged.delete(evseId);
    const now = new Date().toISOString();
    const end = this.meterOf(evseId).meterValue(this.ctl.version, 'Transaction.End', false, now);
    if (this.faults.dropStop) {
      this.ctl.log(`fault dropStop: the stop of ${s.transactionId ?? s.key} is lost`);
    } else if (this.v16) {
      const begin = meterValueOf('1.6', { wh: s.meterStartWh, powerW: 0 }, 'Transaction.Begin', false, s.startedAt, this.meterHabits);
      await this.deliver(stopTransaction16(s, s.stoppedReason, [begin, end], now));
    } else {
      const triggerReason = o.triggerReason ?? stopTrigger2x(reason);
      await this.deliver(transactionEvent(s, 'Ended', {
        triggerReason, offline: !this.ctl.online(), meterValue: end, stoppedReason: s.stoppedReason,
        idToken: triggerReason === 'StopAuthorized', timestamp: now,
      }));
    }
    const ref = this.ctl.ref(evseId, s.connectorId);
    if (unplugged) await this.status(ref, 'Available');
    else if (this.v16) await this.status(ref, 'Finishing');
    return s;
  }

  /**
   * Fault: the connector's energy register jumps to `wh` without a message (a meter swapped or reset
   * mid-session); the next reading and the stop report it.
   */
  setMeter(evseId: number, wh: number): void {
    this.meterOf(evseId).set(wh);
  }

  /**
   * Fault: the station forgets its running sessions without sending any stop (a reboot that loses
   * them, a firmware crash). Cables stay in; the connectors report 1.6 Preparing / 2.x Occupied after
   * the next boot. With `reboot` (default true) the station also reboots (reason PowerUp).
   */
  async loseSessions(options: { reboot?: boolean } = {}): Promise<SimSession[]> {
    const lost = this.list();
    for (const s of lost) {
      clearInterval(s.meterTimer);
      this.sessions.delete(s.evseId);
      s.active = false;
      s.chargingState = 'Idle';
      this.ctl.setStoredStatus(this.ctl.ref(s.evseId, s.connectorId), this.v16 ? 'Preparing' : 'Occupied');
    }
    this.queue.discard(new Set(lost.map((s) => s.key)));
    if (options.reboot !== false) this.ctl.reboot('PowerUp');
    return lost;
  }

  /** Fault: the session ends on the station (its stop is lost) and the cable is pulled: Available, no stop. */
  async availableWithoutStop(evseId: number): Promise<SimSession> {
    const dropping = this.faults.dropStop;
    this.faults.dropStop = true;
    try {
      return await this.stopCharging(evseId, { reason: 'EVDisconnected' });
    } finally {
      this.faults.dropStop = dropping;
    }
  }

  /** Before a Reset (1.6 §5.14, 2.0.1 B11): running sessions stop with the reset's reason. */
  async stopAllForReset(reason: SimStopReason): Promise<void> {
    if (!this.faults.resetEndsSessions) return;
    for (const s of this.list()) {
      await this.stopCharging(s.evseId, { reason }).catch((err: unknown) => this.ctl.log(`stop before reset failed: ${(err as Error).message}`));
    }
  }

  /** Cable out: ends a running transaction (EVDisconnected), then Available. */
  async unplug(evseId: number, connectorId = 1): Promise<void> {
    if (this.sessions.has(evseId)) {
      await this.stopCharging(evseId, { reason: 'EVDisconnected' });
      return;
    }
    const ref = this.refOf(evseId, this.plugged.get(evseId) ?? connectorId);
    this.plugged.delete(evseId);
    await this.status(ref, 'Available');
  }

  // ---- offline behaviour -------------------------------------------------------------------

  /** True between goOffline() and goOnline(). */
  get offline(): boolean {
    return this.ctl.isOffline();
  }

  /** Transaction messages waiting to be delivered (including one in flight). */
  get queuedMessages(): number {
    return this.queue.size;
  }

  /** Copies of the waiting messages, oldest first (1.6 transactionId filled in when already known). */
  queued(): SimQueuedMessage[] {
    return this.queue.snapshot();
  }

  /** Lose the network: the socket is cut and the station stays offline; sessions go on, messages queue. */
  goOffline(): Promise<void> {
    return this.ctl.goOffline();
  }

  /**
   * Reconnect, boot until Accepted, then replay the queue in order and resolve when it is empty.
   * With replay: false the queue is held (see replayQueue) so a test can inspect or reorder it first.
   */
  async goOnline(options: { replay?: boolean } = {}): Promise<void> {
    if (options.replay === false) this.queue.hold();
    await this.ctl.goOnline();
    if (options.replay !== false) await this.queue.drain();
  }

  /**
   * Deliver the queue now in the given order, to test a CSMS's idempotence: 'as-is', 'reversed' or
   * 'duplicated' (every message twice in a row). 1.6 messages of a not yet numbered transaction still
   * go after their StartTransaction (the id is unknown before). Resolves when the queue is empty.
   */
  async replayQueue(options: { order?: SimReplayOrder } = {}): Promise<void> {
    this.queue.hold();
    await this.queue.idle();
    this.queue.reorder(options.order ?? 'as-is');
    await this.queue.drain();
  }

  /** 2.0.1 E14 GetTransactionStatus: ongoingIndicator only when a transactionId is given. */
  transactionStatus(transactionId?: string): { ongoingIndicator?: boolean; messagesInQueue: boolean } {
    if (transactionId === undefined) return { messagesInQueue: this.queue.has() };
    return { ongoingIndicator: this.find(transactionId) !== undefined, messagesInQueue: this.queue.has(transactionId) };
  }

  /** Station stopped: end timers (sessions and queue stay as they are). */
  dispose(): void {
    for (const s of this.sessions.values()) clearInterval(s.meterTimer);
  }

  /** Called after every Accepted boot: resume delivering queued messages. */
  resume(): void {
    this.queue.kick();
  }

  // ---- internals ------------------------------------------------------------------------------

  /** A connector that can charge (1.6 connector 0 is the Charge Point itself); RangeError otherwise. */
  private refOf(evseId: number, connectorId: number): SimConnectorRef {
    if (!(evseId >= 1)) throw new RangeError(`no chargeable connector evse=${evseId}`);
    return this.ctl.ref(evseId, connectorId);
  }

  private meterOf(evseId: number): SimMeter {
    let meter = this.meters.get(evseId);
    if (!meter) this.meters.set(evseId, (meter = new SimMeter(0, this.meterHabits)));
    return meter;
  }

  private open(ref: SimConnectorRef): SimSession {
    const key = this.v16 ? `local-${++this.localSeq}` : randomUUID();
    const s = new SimSession({ ...ref, key, meter: this.meterOf(ref.evseId), offline: !this.ctl.online() });
    if (!this.v16) s.transactionId = key; // 2.0.1 E01: the station names the transaction (max 36 chars)
    this.sessions.set(ref.evseId, s);
    return s;
  }

  private rollbackStart(s: SimSession, created: boolean): void {
    if (created) {
      this.sessions.delete(s.evseId);
      s.active = false;
    }
    s.idToken = undefined;
    s.chargingState = created ? 'Idle' : 'EVConnected';
  }

  /** Deliver a transaction message; a CALLERROR (or timeout) rejects, a queued message resolves. */
  private async deliver(entry: SimTxEntry): Promise<SimPayload | undefined> {
    const outcome = await this.queue.push(entry);
    if (outcome.kind === 'failed') throw outcome.error;
    return outcome.kind === 'answered' ? outcome.response : undefined;
  }

  /** Record a status; report it when online, drop it when not (real stations do not queue these). */
  private async status(ref: SimConnectorRef, status: string): Promise<void> {
    this.ctl.setStoredStatus(ref, status);
    if (this.ctl.online()) await this.ctl.reportStatus(ref, false);
    else this.ctl.log(`offline: StatusNotification ${status} for ${ref.evseId}/${ref.connectorId} dropped`);
  }

  private offlineStartAllowed(): boolean {
    return offlineStartAllowed(this.ctl.version, this.ctl.settings);
  }

  private shouldDeauthorize(s: SimSession): boolean {
    return s.active && s.authorization !== undefined && s.authorization !== 'Accepted'
      && stopOnInvalidId(this.ctl.version, this.ctl.settings);
  }

  /** An answer arriving later (offline replay) may refuse the token: stop the session then (1.6 §3.4, 2.0.1 E05). */
  private watchAuthorization(entry: SimTxEntry, s: SimSession): void {
    const base = entry.onAnswer;
    entry.onAnswer = (res) => {
      base?.(res);
      if (this.starting.has(s) || !this.shouldDeauthorize(s)) return;
      setImmediate(() => {
        if (this.sessions.get(s.evseId) !== s) return;
        this.stopCharging(s.evseId, { reason: 'DeAuthorized' })
          .catch((err: unknown) => this.ctl.log(`deauthorized stop failed: ${(err as Error).message}`));
      });
    };
  }

  private startAutoMeter(s: SimSession, powerW: number, everySec: number): void {
    s.meterTimer = setInterval(() => {
      if (this.sessions.get(s.evseId) !== s) return;
      this.meterTick(s.evseId, { powerW, seconds: everySec })
        .catch((err: unknown) => this.ctl.log(`MeterValues failed: ${(err as Error).message}`));
    }, everySec * 1000);
  }
}
