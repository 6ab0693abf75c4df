/**
 * Background charging activity for the command line (--sessions): every now and then a station plugs a
 * car into a free EVSE, authorizes a token, charges with automatic meter values, stops and unplugs.
 * Pauses and session lengths are randomised (±50 %) so a fleet does not act in lockstep.
 */
import { randomBytes } from 'node:crypto';
import type { SimStation } from './sim-station.ts';

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
    const session = await sessions.startCharging(evseId, token, { powerW, meterIntervalSec });
    log(`${station.id.padEnd(12)} ${where(evseId, connectorId)} charging ${powerW / 1000} kW token ${token} tx ${session.transactionId ?? '(queued)'}`);
    await sleep(jitter(options.sessionSec ?? 60));
    if (stopped) return;
    if (session.active) await sessions.stopCharging(evseId);
    await sessions.unplug(evseId, connectorId);
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
