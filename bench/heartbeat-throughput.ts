/**
 * Heartbeat throughput and latency of one server process (one event loop,
 * so at most one core for the OCPP work).
 *
 * Goal: >= 40,000 Heartbeat round trips per second; report the p99 latency
 * at half the measured maximum rate.
 * Phase 1 (closed loop): --stations booted OCPP 1.6 stations spread over
 *   --clients load-client processes; each sends its next Heartbeat as soon
 *   as the previous one is answered (OCPP allows one outstanding CALL per
 *   station). Warm-up, then answers are counted for --seconds.
 * Phase 2 (open loop): Heartbeats on a fixed schedule at half the phase-1
 *   rate, spread evenly over the stations; p50/p99/max latency from send to
 *   answer, and also from the scheduled time (which adds client timer lag).
 * Server CPU (utime+stime from /proc/<pid>/stat) per 1000 heartbeats is
 * printed for both phases. The server runs with raised flood limits and no
 * WebSocket pings (config below).
 *
 *   npx tsx bench/heartbeat-throughput.ts [--stations 2000] [--clients 2] [--seconds 10] [--warmup 3]
 * Diagnostics: --bare runs the same phases against bench/bare-ws-server.ts
 * (transport + load-generator ceiling); --presence-flush-ms N changes how
 * often the server writes last-seen times to its database (default 1000).
 */
import { LoadClients } from './clients.ts';
import { argNumber, cpuSecondsOf, machineCpuSeconds, printMachine, printSummary, sleep } from './common.ts';
import { ServerUnderTest } from './server.ts';

const GOAL_RATE = 40_000;
const stationCount = argNumber('stations', 2000);
const clientCount = argNumber('clients', 2);
const seconds = argNumber('seconds', 10);
const warmup = argNumber('warmup', 3);
const bare = process.argv.includes('--bare');
const presenceFlushMs = argNumber('presence-flush-ms', 1000);
const config = { ocpp: { floodMessagesPerSec: 100_000, floodBurst: 100_000, pingIntervalSec: 0, presenceFlushMs } };

const machine = await printMachine(`heartbeat-throughput${bare ? ' (BARE ws calibration server, not Chargebridge)' : ''}`);
const server = await ServerUnderTest.start({ config, script: bare ? 'bench/bare-ws-server.ts' : undefined });
const clients = LoadClients.start(clientCount);

/** Runs one phase while sampling server and client CPU exactly over the measured window. */
async function phase(kind: 'closed-loop' | 'paced', ratePerSec?: number) {
  const startAt = Date.now() + 500;
  const windowStart = startAt + warmup * 1000;
  const sample = () => ({ server: server.cpuSeconds(), clients: clients.pids.map(cpuSecondsOf), machine: machineCpuSeconds() });
  const running = clients.heartbeats({ cmd: kind, startAt, warmupMs: warmup * 1000, durationMs: seconds * 1000, ratePerSec });
  await sleep(windowStart - Date.now());
  const before = sample();
  await sleep(windowStart + seconds * 1000 - Date.now());
  const after = sample();
  const result = await running;
  const serverCpu = after.server - before.server;
  const clientCpu = after.clients.map((v, i) => v - before.clients[i]!);
  const machineBusy = after.machine.busy - before.machine.busy;
  const otherCpu = Math.max(0, machineBusy - serverCpu - clientCpu.reduce((a, b) => a + b, 0));
  const rate = result.completed / seconds;
  const cpuMsPer1000 = (serverCpu * 1000 * 1000) / result.completed;
  console.log(
    `${kind}: ${result.completed} round trips in ${seconds} s = ${Math.round(rate)}/s from ${result.stations} stations; ` +
      `errors ${result.errors}, late ${result.late}, dropped ${result.dropped}, CSMS calls answered ${result.csmsCalls}`,
  );
  console.log(`  latency (send -> answer): ${result.latency.summary()}`);
  const slow = result.worstPer100ms.map((ms, i) => [i / 10, ms] as const).filter(([, ms]) => ms > 20);
  if (kind === 'paced') {
    console.log(`  latency (scheduled -> answer): ${result.fromSchedule.summary()}`);
    console.log(`  100 ms windows with an answer slower than 20 ms (s into the window: worst ms): ${slow.map(([t, ms]) => `${t.toFixed(1)}:${Math.round(ms)}`).join(' ') || 'none'}`);
  }
  console.log(
    `  server CPU ${(serverCpu * 100 / seconds).toFixed(0)}% of one core, ${cpuMsPer1000.toFixed(1)} ms per 1000 heartbeats; ` +
      `load clients ${clientCpu.map((c) => `${(c * 100 / seconds).toFixed(0)}%`).join(', ')}; ` +
      `machine ${((machineBusy * 100) / (after.machine.total - before.machine.total)).toFixed(0)}% of all cores busy, other processes ${(otherCpu * 100 / seconds).toFixed(0)}% of one core`,
  );
  return {
    rate: Math.round(rate), completed: result.completed, errors: result.errors, late: result.late, dropped: result.dropped,
    p50Ms: result.latency.percentile(50) / 1000, p99Ms: result.latency.percentile(99) / 1000, maxMs: result.latency.maxUs / 1000,
    p99FromScheduleMs: result.fromSchedule.percentile(99) / 1000, slowWindows: slow,
    serverCpuPercent: Math.round((serverCpu * 100) / seconds), serverCpuMsPer1000: Math.round(cpuMsPer1000 * 10) / 10,
    clientCpuPercent: clientCpu.map((c) => Math.round((c * 100) / seconds)), otherCpuPercent: Math.round((otherCpu * 100) / seconds),
  };
}

try {
  const started = Date.now();
  const boot = await clients.connect({ url: server.url, prefix: 'HB-', from: 0, total: stationCount, protocol: 'ocpp1.6', concurrency: 250, connectors: 0, password: false, retries: 2 });
  console.log(`${boot.booted} stations booted in ${((Date.now() - started) / 1000).toFixed(1)} s (${boot.failed} failed${boot.errors.length ? `: ${boot.errors.join('; ')}` : ''})`);
  if (boot.booted === 0) throw new Error('no station booted');
  await sleep(2000);

  const max = await phase('closed-loop');
  const half = Math.round(max.rate / 2);
  console.log(`\npaced phase at half the measured maximum: ${half}/s`);
  const paced = await phase('paced', half);

  const verdict = max.rate >= GOAL_RATE ? 'goal met' : 'goal MISSED';
  console.log(`\nmax ${max.rate}/s vs goal ${GOAL_RATE}/s: ${verdict}; p99 at half rate (${half}/s): ${paced.p99Ms.toFixed(2)} ms`);
  console.log(server.describeLogs());
  printSummary({ benchmark: bare ? 'heartbeat-throughput-bare' : 'heartbeat-throughput', machine, presenceFlushMs, stations: boot.booted, clients: clientCount, seconds, max, halfRate: half, paced, verdict, serverWarnings: server.warnings, serverErrors: server.errors });
} finally {
  await clients.close();
  await server.stop();
}
