/**
 * Background charging activity for the command line (--sessions): every now and then a station plugs a
 * car into a free EVSE, authorizes a token, charges with automatic meter values, stops and unplugs.
 * Pauses and session lengths are randomised (±50 %) so a fleet does not act in lockstep.
 */
import { randomBytes } from 'node:crypto';
import type { SimStation } from './sim-station.ts';
import type { SimFaultName } from './sim-faults.ts';

/** A session the loop made stuck on purpose, for a benchmark's ground truth. */
export interface SimInjectedFault {
  stationId: string;
  evseId: number;
  fault: SimFaultName;
  /** 1.6: the CSMS's integer (undefined if never answered); 2.x: the station's UUID. */
  transactionId: string | undefined;
  /** When the fault happened (ms since epoch). */
  at: number;
  /** When the connector was physically free again (ms), once known. */
  connectorFreeAt?: number;
}

export interface SimSessionLoopOptions {
  /** Seconds between MeterValues / TransactionEvent(MeterValuePeriodic) while charging. Default 10. */
  meterIntervalSec?: number;
  /** Mean charging time per session in seconds. Default 60. */
  sessionSec?: number;
  /** Mean idle time between sessions of one station in seconds. Default 30. */
  gapSec?: number;
  /** Tokens to use (e.g. ones the CSMS knows); default a random RFID-like id per session. */
  tokens?: string[];
  log?: (line: string) => void;
  /**
   * Make some sessions stuck: each session gets, with probability `rate`, one fault from `names`
   * (see sim-faults.ts): drop-stop, available-without-stop, reboot-mid-session, offline (for
   * `offlineSec`), meter-backwards, reject-stop and unlock-fails (the session hangs: stop rejected,
   * cable locked, it only ends when the CSMS resets the station).
   */
  faults?: { names: readonly SimFaultName[]; rate: number; offlineSec?: number; onFault?: (fault: SimInjectedFault) => void };
  /** Every session that started, with its fault if it got one. */
  onSession?: (session: { stationId: string; evseId: number; transactionId: string | undefined; fault: SimFaultName | undefined }) => void;
}

const POWERS_W = [3_700, 7_400, 11_000, 22_000];

function jitter(meanSec: number): number {
  return Math.max(0.05, meanSec * (0.5 + Math.random())) * 1000;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** Start the loop for one station; the returned function ends it (a running session is left as it is). */
export function runSessionLoop(station: SimStation, options: SimSessionLoopOptions = {}): () => void {
  const meterIntervalSec = options.meterIntervalSec ?? 10;
  const log = options.log ?? (() => {});
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => {
    wake = resolve;
    timer = setTimeout(resolve, ms);
  });
  const where = (evseId: number, connectorId: number): string =>
    station.version === '1.6' ? `connector ${evseId}` : `evse ${evseId}/${connectorId}`;

  const once = async (): Promise<void> => {
    const sessions = station.sessions;
    const free = Array.from({ length: station.evses }, (_v, i) => i + 1)
      .filter((n) => !sessions.isPluggedIn(n) && !sessions.get(n));
    if (free.length === 0 || station.state !== 'accepted') return;
    const evseId = pick(free);
    const connectorId = 1 + Math.floor(Math.random() * station.connectorsPerEvse);
    const token = options.tokens?.length ? pick(options.tokens) : `RFID${randomBytes(4).toString('hex').toUpperCase()}`;
    await sessions.plugIn(evseId, connectorId);
    const { status } = await sessions.authorize(token);
    if (status !== 'Accepted') {
      log(`${station.id.padEnd(12)} ${where(evseId, connectorId)} token ${token} ${status}, unplugging`);
      await sessions.unplug(evseId, connectorId);
      return;
    }
    const powerW = pick(POWERS_W);
    const fault = options.faults && Math.random() < options.faults.rate ? pick(options.faults.names) : undefined;
    const faults = station.faults;
    if (fault === 'reject-stop' || fault === 'unlock-fails') faults.set({ rejectStop: true, unlockFails: true });
    const session = await sessions.startCharging(evseId, token, { powerW, meterIntervalSec });
    log(`${station.id.padEnd(12)} ${where(evseId, connectorId)} charging ${powerW / 1000} kW token ${token} tx ${session.transactionId ?? '(queued)'}${fault ? ` fault ${fault}` : ''}`);
    options.onSession?.({ stationId: station.id, evseId, transactionId: session.transactionId, fault });
    const record = (): SimInjectedFault | undefined =>
      fault ? { stationId: station.id, evseId, fault, transactionId: session.transactionId, at: Date.now() } : undefined;
    const length = jitter(options.sessionSec ?? 60);
    if (fault === 'reboot-mid-session' || fault === 'offline') {
      await sleep(length / 2);
      if (stopped) return;
      const injected = record()!;
      if (fault === 'reboot-mid-session') {
        await sessions.loseSessions();
        options.faults?.onFault?.(injected);
        await sleep(length / 2);
        if (stopped) return;
        await sessions.unplug(evseId, connectorId).catch(() => undefined);
        injected.connectorFreeAt = Date.now();
      } else {
        await sessions.goOffline();
        options.faults?.onFault?.(injected);
        await sleep((options.faults?.offlineSec ?? 3600) * 1000);
        if (session.active) await sessions.stopCharging(evseId);
        await sessions.unplug(evseId, connectorId);
        injected.connectorFreeAt = Date.now();
        if (!stopped) await sessions.goOnline();
      }
      return;
    }
    await sleep(length);
    if (stopped) return;
    if (fault === 'drop-stop') faults.set({ dropStop: true });
    if (fault === 'meter-backwards') {
      faults.set({ meterBackwards: true });
      await sessions.meterTick(evseId, { powerW, seconds: 600 });
    }
    if (fault === 'reject-stop' || fault === 'unlock-fails') {
      // The driver wants to leave but cannot: the session runs on until the CSMS resets the station.
      const injected = record()!;
      options.faults?.onFault?.(injected);
      while (session.active && !stopped) await sleep(200);
      if (stopped) return; // a stopped loop leaves the hung session hung (the CSMS still has to deal with it)
      faults.clear();
      await sessions.unplug(evseId, connectorId);
      injected.connectorFreeAt = Date.now();
      return;
    }
    const injected = record();
    if (fault === 'available-without-stop') {
      await sessions.availableWithoutStop(evseId);
    } else {
      if (session.active) await sessions.stopCharging(evseId);
      await sessions.unplug(evseId, connectorId);
    }
    faults.clear();
    if (injected) {
      injected.connectorFreeAt = Date.now();
      options.faults?.onFault?.(injected);
    }
    log(`${station.id.padEnd(12)} ${where(evseId, connectorId)} done, ${session.energyWh} Wh, tx ${session.transactionId ?? '(queued)'}`);
  };

  void (async () => {
    while (!stopped) {
      await sleep(jitter(options.gapSec ?? 30));
      if (stopped) break;
      await once().catch((err: unknown) => log(`${station.id.padEnd(12)} session failed: ${(err as Error).message}`));
    }
  })();

  return () => {
    stopped = true;
    clearTimeout(timer);
    wake?.();
  };
}
