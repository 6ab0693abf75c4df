/**
 * Stuck transactions in a simulated fleet: N stations (default 500, OCPP
 * 1.6 / 2.0.1 / 2.1 mixed) charge in a loop; a share of the sessions gets a
 * fault that makes it stuck (sim-faults.ts). Reports the share of stuck
 * sessions detected and closed, the time from the fault to the session
 * closed (and to closed + connector free), and false positives: healthy
 * sessions the CSMS touched (anything beyond a question) or asked about.
 *
 * Meters write their readings the way real ones do (`--habits on`, the default): stations take
 * turns between whole Wh, Wh with one decimal and a truncated integer stop, kWh with three
 * decimals, kWh with a stop truncated to two decimals, and (2.x) a multiplier. A meter that
 * goes backwards (`meter-backwards`) is not stuck: its stop is flagged for review
 * (`meter-went-backwards`) and kept; healthy sessions so flagged are false flags.
 *
 * Time is compressed: every duration, on the station side and in the CSMS
 * settings, is divided by --compress (default 60: one real second stands for
 * one minute). The rules and the ladder are the same code as in production;
 * only their thresholds are scaled. Times are reported in simulated minutes.
 *
 * Server and fleet run in this one process (the server over a temp PGlite).
 *
 *   npx tsx bench/stuck-fleet.ts [--stations 500] [--minutes 240] [--compress 60] [--fault-rate 0.05] [--habits on|off]
 */
import { ALL_TENANTS } from '../src/kernel/tenant-scope.ts';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startChargebridge } from '../src/app.ts';
import { runSessionLoop, startFleet, type SimFaultName, type SimInjectedFault, type SimMeterHabits } from '../sim/index.ts';
import { argNumber, argString, printMachine, printSummary, sleep, tempDir } from './common.ts';

const STATIONS = argNumber('stations', 500);
const MINUTES = argNumber('minutes', 240);
const COMPRESS = argNumber('compress', 60);
const FAULT_RATE = argNumber('fault-rate', 0.05);
const HABITS_ON = argString('habits', 'on') !== 'off';
/** Meter habits the stations take in turn (issue 11: the ones that exposed estimates replacing real stops). */
const HABITS: Array<Partial<SimMeterHabits>> = HABITS_ON
  ? [
      {},
      { decimals: 1, rounding: 'truncate' },
      { energyUnit: 'kWh', decimals: 3 },
      { energyUnit: 'kWh', decimals: 3, stopDecimals: 2, rounding: 'truncate' },
      { multiplier: 1, decimals: 1 },
    ]
  : [{}];
/** Faults whose right outcome is a stop flagged for review, not a stuck case. */
const REVIEW_FAULTS: ReadonlySet<SimFaultName> = new Set(['meter-backwards']);
/** Simulated minutes -> real seconds. */
const sec = (minutes: number) => (minutes * 60) / COMPRESS;

const SESSION_MIN = 30;
const GAP_MIN = 20;
const METER_MIN = 1;
const OFFLINE_MIN = 60;
const FAULTS: SimFaultName[] = ['drop-stop', 'available-without-stop', 'reboot-mid-session', 'offline', 'meter-backwards', 'reject-stop'];
const TOKENS = ['FLEET-1', 'FLEET-2', 'FLEET-3', 'FLEET-4'];

const machine = await printMachine(`stuck transactions: ${STATIONS} stations, ${MINUTES} simulated minutes, time compressed ${COMPRESS}x`);
const dataDir = tempDir('stuck-fleet-');
const config = loadConfig(
  { CHARGEBRIDGE_DATA_DIR: dataDir },
  {
    host: '127.0.0.1',
    port: 0,
    adminToken: 'bench-admin-token-0123456789',
    logLevel: 'error',
    ocpp: { floodMessagesPerSec: 1000, floodBurst: 2000 },
    // The command queue's expiry sweep is part of the ladder's timing: compressed like the rest.
    commands: { sweepIntervalSec: sec(5 / 60) },
    stuck: {
      enabled: true,
      sweepIntervalSec: sec(0.25),
      defaults: {
        samplingIntervalSec: sec(METER_MIN),
        silenceFactor: 5,
        connectorFreeGraceSec: sec(1),
        rebootGraceSec: sec(3),
        offlineThresholdSec: sec(30),
        // Three times the mean session: a healthy session (at most 1.5x the mean) never reaches it.
        maxDurationSec: sec(3 * SESSION_MIN),
        maxPowerW: 400_000,
        stepTimeoutSec: sec(1),
        resetWithOtherTransactions: false,
        automaticSteps: ['ask', 'stop', 'unlock', 'reset-soft', 'reset-hard', 'close'],
      },
      sites: {},
    },
  } as never,
);
const app = await startChargebridge(config, { log: pino({ level: 'error' }) });
for (const idToken of TOKENS) {
  await fetch(`http://127.0.0.1:${app.port}/api/v1/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ idToken }),
  });
}

const faults: SimInjectedFault[] = [];
const sessions: Array<{ stationId: string; transactionId: string | undefined; fault: SimFaultName | undefined }> = [];
const stopLoops: Array<() => void> = [];
const fleet = await startFleet({
  url: `ws://127.0.0.1:${app.port}/ocpp`,
  count: STATIONS,
  version: 'mixed',
  prefix: 'STUCKFLEET',
  concurrency: 50,
  station: { heartbeats: false, reconnect: { minMs: 200, maxMs: 2000 }, resetDelayMs: 200 },
  onStarted: (station, outcome) => {
    if (outcome.error) return;
    Object.assign(station.meterHabits, HABITS[Number(station.id.slice(-5)) % HABITS.length]);
    stopLoops.push(
      runSessionLoop(station, {
        meterIntervalSec: sec(METER_MIN),
        sessionSec: sec(SESSION_MIN),
        gapSec: sec(GAP_MIN),
        tokens: TOKENS,
        faults: { names: FAULTS, rate: FAULT_RATE, offlineSec: sec(OFFLINE_MIN), onFault: (f) => faults.push(f) },
        onSession: (s) => sessions.push(s),
      }),
    );
  },
});
console.log(`fleet up: ${fleet.stations.length - fleet.failures.length}/${STATIONS} stations; charging for ${sec(MINUTES)} s real`);
await sleep(sec(MINUTES) * 1000);
for (const stop of stopLoops) stop();
// Sessions the loops leave running end normally now (the hung ones of a fault stay hung).
const faultedKeys = new Set(faults.map((f) => `${f.stationId}|${f.transactionId}`));
await Promise.all(
  fleet.stations.map(async (station) => {
    for (const session of station.sessions.list()) {
      if (faultedKeys.has(`${station.id}|${session.transactionId}`) || !session.active) continue;
      await station.sessions.stopCharging(session.evseId).catch(() => undefined);
      await station.sessions.unplug(session.evseId).catch(() => undefined);
    }
  }),
);
// Let the last faults run through detection and the ladder: a hung session needs the maximum duration
// (3x the mean session) plus the ladder; the offline threshold is shorter.
const drainSec = sec(3 * SESSION_MIN + 10);
console.log(`loops stopped; draining ${drainSec} s`);
await sleep(drainSec * 1000);

// --- analysis ------------------------------------------------------------------------------
const cases = (await app.stuck.list({ scope: ALL_TENANTS, limit: 100_000, offset: 0 })).items;
const txs = (await app.transactions.list({ scope: ALL_TENANTS, limit: 1_000_000, offset: 0 })).items;
const txByOcpp = new Map(txs.map((t) => [`${t.stationId}|${t.ocppTransactionId}`, t]));
const caseByTx = new Map<string, (typeof cases)[number][]>();
for (const c of cases) caseByTx.set(c.transactionId, [...(caseByTx.get(c.transactionId) ?? []), c]);
const faultyTx = new Set<string>();
const toMinutes = (ms: number) => (ms / 1000) * (COMPRESS / 60);
const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const perFault: Record<string, { injected: number; detected: number; closed: number; minutesToClose: number[]; minutesToCloseAndFree: number[] }> = {};
let unknownTx = 0;
const missed: string[] = [];
const endedAt = Date.now();
for (const f of faults) {
  const row = (perFault[f.fault] ??= { injected: 0, detected: 0, closed: 0, minutesToClose: [], minutesToCloseAndFree: [] });
  row.injected += 1;
  const tx = f.transactionId === undefined ? undefined : txByOcpp.get(`${f.stationId}|${f.transactionId}`);
  if (!tx) {
    unknownTx += 1;
    continue;
  }
  faultyTx.add(tx.id);
  if (REVIEW_FAULTS.has(f.fault)) {
    // Detected = flagged for review with the station's stop kept; closed = the station's stop, never an estimate.
    const flagged = tx.flags.includes('meter-went-backwards');
    if (flagged) row.detected += 1;
    else missed.push(`${f.fault} ${f.stationId} tx ${tx.id}: ${tx.state}, flags [${tx.flags}] (not flagged for review)`);
    if (flagged && tx.state === 'completed' && !tx.flags.includes('estimated') && (caseByTx.get(tx.id) ?? []).length === 0) {
      row.closed += 1;
      row.minutesToClose.push(0);
      row.minutesToCloseAndFree.push(0);
    }
    continue;
  }
  const stuckCases = (caseByTx.get(tx.id) ?? []).filter((c) => c.status !== 'cleared' && c.status !== 'dismissed');
  if (stuckCases.length === 0) {
    const age = tx.startedAt ? toMinutes(endedAt - tx.startedAt.getTime()) : null;
    missed.push(`${f.fault} ${f.stationId} tx ${tx.id}: ${tx.state}, flags [${tx.flags}], session age at the end ${round(age)} min, fault ${round(toMinutes(endedAt - f.at))} min before the end`);
    continue;
  }
  row.detected += 1;
  const done = stuckCases.find((c) => c.status === 'resolved' || c.status === 'closed-by-backend');
  if (!done?.finishedAt) continue;
  row.closed += 1;
  row.minutesToClose.push(toMinutes(done.finishedAt.getTime() - f.at));
  row.minutesToCloseAndFree.push(toMinutes(Math.max(done.finishedAt.getTime(), f.connectorFreeAt ?? done.finishedAt.getTime()) - f.at));
}

const healthy = sessions.filter((s) => !s.fault).map((s) => (s.transactionId === undefined ? undefined : txByOcpp.get(`${s.stationId}|${s.transactionId}`)));
let touched = 0;
let asked = 0;
let falseFlags = 0;
let estimatedHealthy = 0;
for (const tx of healthy) {
  if (!tx || faultyTx.has(tx.id)) continue;
  if (tx.flags.includes('meter-went-backwards')) falseFlags += 1;
  if (tx.flags.includes('estimated') || tx.flags.includes('stuck')) estimatedHealthy += 1;
  const own = caseByTx.get(tx.id) ?? [];
  // Touched: a stop, unlock or reset was sent, or the backend closed it. A case that ends because the
  // driver's own stop arrived after the question is not a touch (only asked).
  const acted = (st: { step: string; outcome: string | null; commandId: string | null }) =>
    (st.step !== 'ask' && st.step !== 'close' && st.commandId !== null) || (st.step === 'close' && st.outcome === 'closed');
  if (own.some((c) => c.steps.some(acted))) touched += 1;
  else if (own.length > 0) asked += 1;
}

const all = Object.values(perFault);
const injected = all.reduce((n, r) => n + r.injected, 0);
const detected = all.reduce((n, r) => n + r.detected, 0);
const closed = all.reduce((n, r) => n + r.closed, 0);
console.log(`\nsessions: ${sessions.length} (healthy ${healthy.length}), faults injected: ${injected} (${unknownTx} without a transaction id at the CSMS)`);
console.log('fault                    injected detected closed  median min to close  median min to close+free');
for (const [name, r] of Object.entries(perFault)) {
  console.log(`${name.padEnd(24)} ${String(r.injected).padStart(8)} ${String(r.detected).padStart(8)} ${String(r.closed).padStart(6)}  ${String(round(median(r.minutesToClose))).padStart(19)}  ${String(round(median(r.minutesToCloseAndFree))).padStart(24)}`);
}
const allClose = all.flatMap((r) => r.minutesToClose);
const allFree = all.flatMap((r) => r.minutesToCloseAndFree);
console.log(`all: detected ${detected}/${injected} (${((100 * detected) / Math.max(1, injected)).toFixed(1)} %), closed ${closed}; median ${round(median(allClose))} min to close, ${round(median(allFree))} min to close + connector free`);
for (const line of missed) console.log(`not detected: ${line}`);
console.log(`false positives: ${touched} healthy sessions touched (stop/unlock/reset/close), ${asked} only asked (GetTransactionStatus / TriggerMessage)`);
console.log(`meter habits ${HABITS_ON ? 'on' : 'off'}: ${falseFlags} healthy sessions flagged meter-went-backwards, ${estimatedHealthy} with a stuck/estimated stop`);
console.log(`CSMS counters: ${JSON.stringify(app.stuck.metrics.view())}`);

printSummary({
  benchmark: 'stuck-fleet',
  machine,
  stations: STATIONS,
  simulatedMinutes: MINUTES,
  compress: COMPRESS,
  faultRate: FAULT_RATE,
  sessions: sessions.length,
  injected,
  detected,
  closed,
  medianMinutesToClose: round(median(allClose)),
  medianMinutesToCloseAndFree: round(median(allFree)),
  healthyTouched: touched,
  healthyAsked: asked,
  meterHabits: HABITS_ON,
  healthyFlaggedBackwards: falseFlags,
  healthyEstimated: estimatedHealthy,
  perFault: Object.fromEntries(Object.entries(perFault).map(([k, r]) => [k, { injected: r.injected, detected: r.detected, closed: r.closed, medianMinutesToClose: round(median(r.minutesToClose)) }])),
});
await fleet.stop();
await app.stop();
process.exit(0);
