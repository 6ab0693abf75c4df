/**
 * Idle connections: how many booted, idle stations one server process holds
 * and what each costs in server memory.
 *
 * Goal: 50,000 stations in one process at <= 16 KB per connection.
 * Method: start the server (child process, default settings) once to create
 * its database, restart it on the same data dir (the first start keeps
 * PGlite's initdb memory), and take the baseline RSS (/proc/<pid>/status)
 * once it is stable after a full GC. Then connect stations in steps (default
 * 1000, 5000, 10000, 19000, each adding to the previous) from 2 load-client
 * processes; each station connects, sends BootNotification and stays idle.
 * After each step RSS is read twice: "settled" (--settle s later, garbage
 * included, as an operator would see it) and "after GC" (a GC probe in the
 * server forces a full GC; RSS once stable). Bytes per connection =
 * (RSS - baseline) / N; "marginal" is the same between two steps.
 * 50,000 cannot be reached on a machine whose open-file limit is 20,000 per
 * process; the RSS for 50,000 is extrapolated from the measured figures.
 *
 *   npx tsx bench/idle-connections.ts [--steps 1000,5000,10000,19000] [--settle 5] [--clients 2]
 */
import { LoadClients } from './clients.ts';
import { argNumber, mib, printMachine, printSummary, sleep } from './common.ts';
import { ADMIN_TOKEN, ServerUnderTest } from './server.ts';

const GOAL_CONNECTIONS = 50_000;
const GOAL_BYTES = 16 * 1024;

const stepsArg = process.argv.indexOf('--steps');
const steps = (stepsArg >= 0 ? process.argv[stepsArg + 1]! : '1000,5000,10000,19000').split(',').map(Number);
const settleMs = argNumber('settle', 5) * 1000;
const clientCount = argNumber('clients', 2);
const concurrency = argNumber('concurrency', 250);

/**
 * RSS with the garbage gone: a full GC in the server, then RSS every 5 s until
 * it moves by less than 1 MiB, but no sooner than 30 s (V8 gives freed memory
 * back to the OS lazily: RSS of an idle server drops by ~75 MiB about 20 s
 * after activity, with or without a forced GC). At most 90 s.
 */
async function stableRss(): Promise<{ rss: number; mem: Record<string, number> }> {
  const started = Date.now();
  let mem = await server.gcAndMeasure();
  let rss = server.rssBytes();
  while (Date.now() - started < 90_000) {
    await sleep(5000);
    mem = await server.gcAndMeasure();
    const now = server.rssBytes();
    const settled = Math.abs(now - rss) < 2 ** 20 && Date.now() - started >= 30_000;
    rss = now;
    if (settled) break;
  }
  return { rss, mem };
}

const machine = await printMachine('idle-connections');
const server = await ServerUnderTest.start({ gcProbe: true });
const clients = LoadClients.start(clientCount);
try {
  // A fresh data dir makes the first start run initdb, whose memory stays in that process; production
  // servers restart on an existing database, so measure a restarted server. Startup also leaves garbage
  // that V8 returns a few seconds after a GC, so the baseline is the RSS once it stops moving.
  await sleep(settleMs);
  const freshRss = server.rssBytes();
  await server.restart();
  await sleep(settleMs);
  const startupRss = server.rssBytes();
  const { rss: baseRss, mem: baseMem } = await stableRss();
  console.log(`RSS ${mib(freshRss)} after the first start (initdb), ${mib(startupRss)} after a restart on the same data dir`);
  console.log(`server pid ${server.pid}: baseline RSS ${mib(baseRss)} after GC (heap ${mib(baseMem.heapUsed!)}, external incl. PGlite WASM ${mib(baseMem.external!)})`);
  console.log('stations | connect+boot | RSS settled | RSS delta | bytes/conn | marginal bytes/conn | RSS after GC | bytes/conn after GC | heap after GC');

  const rows: Array<Record<string, number>> = [];
  let held = 0;
  let prev = { n: 0, rss: baseRss };
  let stoppedEarly = '';
  for (const target of steps) {
    const started = Date.now();
    const result = await clients.connect({
      url: server.url, prefix: 'IDLE-', from: held, total: target - held, protocol: 'ocpp1.6', concurrency, connectors: 0, password: false, retries: 0, startDelayMs: 100,
    });
    held += result.booted;
    const connectSec = (Date.now() - started) / 1000;
    await sleep(settleMs);
    const rss = server.rssBytes();
    const { rss: rssGc, mem } = await stableRss();
    const perConn = (rss - baseRss) / held;
    const perConnGc = (rssGc - baseRss) / held;
    const marginal = (rss - prev.rss) / (held - prev.n); // from the previous step's post-GC RSS
    rows.push({ stations: held, rss, perConn, marginal, rssGc, perConnGc, heapUsed: mem.heapUsed!, arrayBuffers: mem.arrayBuffers!, connectSec });
    console.log(
      `${String(held).padStart(8)} | ${connectSec.toFixed(1)} s (${Math.round(result.booted / connectSec)}/s) | ${mib(rss)} | ${mib(rss - baseRss)} | ` +
        `${Math.round(perConn)} | ${Math.round(marginal)} | ${mib(rssGc)} | ${Math.round(perConnGc)} | ${mib(mem.heapUsed!)}`,
    );
    prev = { n: held, rss: rssGc };
    if (result.failed > 0 || result.dropped > 0) {
      stoppedEarly = `${result.failed} stations failed, ${result.dropped} dropped at step ${target}: ${result.errors.join('; ')}`;
      console.log(`stopping early: ${stoppedEarly}`);
      break;
    }
  }

  const stillConnected = await fetch(`${server.http}/api/v1/stations?connected=true&limit=1`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  }).then((r) => r.json() as Promise<{ total: number }>);
  const last = rows[rows.length - 1]!;
  const perConn = last.perConn!;
  const extrapolated = baseRss + GOAL_CONNECTIONS * perConn;
  const extrapolatedMarginal = last.rss! + (GOAL_CONNECTIONS - last.stations!) * last.marginal!;
  const extrapolatedGc = baseRss + GOAL_CONNECTIONS * last.perConnGc!;
  const verdict = perConn <= GOAL_BYTES ? 'per-connection memory goal met' : 'per-connection memory goal MISSED';
  console.log(`\nserver reports ${stillConnected.total} stations connected (REST, connected=true); client-side held ${held}`);
  console.log(`held ${held} idle stations; ${Math.round(perConn)} bytes/conn overall (${(perConn / 1024).toFixed(1)} KiB), goal <= ${GOAL_BYTES} bytes: ${verdict}`);
  console.log(`50,000 stations are not reachable here: open files per process (sockets included): ${machine.openFileLimit}.`);
  console.log(`after a forced GC: ${Math.round(last.perConnGc!)} bytes/conn (${(last.perConnGc! / 1024).toFixed(1)} KiB)`);
  console.log(`extrapolated RSS at 50,000: ${mib(extrapolated)} (settled figure) / ${mib(extrapolatedMarginal)} (last marginal) / ${mib(extrapolatedGc)} (after GC)`);
  if (stoppedEarly) console.log(`stopped early: ${stoppedEarly}`);
  console.log(server.describeLogs());
  printSummary({
    benchmark: 'idle-connections', machine, held, serverCounted: stillConnected.total, freshRss, startupRss, baseRss, baseMem, rows,
    bytesPerConn: Math.round(perConn), bytesPerConnAfterGc: Math.round(last.perConnGc!), lastMarginalBytesPerConn: Math.round(last.marginal!),
    extrapolatedRss50k: Math.round(extrapolated), extrapolatedRss50kAfterGc: Math.round(extrapolatedGc),
    extrapolatedRss50kMarginal: Math.round(extrapolatedMarginal), verdict, stoppedEarly, serverWarnings: server.warnings, serverErrors: server.errors,
  });
} finally {
  await clients.close();
  await server.stop();
}
