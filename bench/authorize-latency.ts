/**
 * Authorize round trip under a steady mixed load, over real sockets.
 *
 * Goal (issue 3): p99 <= 10 ms for Authorize at 5,000 connected stations and
 * 5,000 messages/s on one node. The server holds --tokens id tokens; --stations
 * OCPP 1.6 stations (load-client processes, raw ws) boot, then send an open-loop
 * mix at --rate messages/s for --seconds: of every 5 messages 3 Heartbeats,
 * 1 Authorize (a known token), 1 StatusNotification (a database write through
 * the status batch). Latency is from send to answer; the Authorize figures are
 * its round trips alone. Server CPU is read from /proc over the window.
 *
 * With --postgres the server runs on a throw-away PostgreSQL database (needs
 * CHARGEBRIDGE_TEST_DATABASE_URL) instead of embedded PGlite, whose queries run
 * on the server's own event loop.
 *
 *   npx tsx bench/authorize-latency.ts [--stations 5000] [--rate 5000] [--seconds 20] [--tokens 100000] [--clients 2] [--postgres]
 */
import { LoadClients } from './clients.ts';
import { Histogram } from './histogram.ts';
import { argNumber, printMachine, printSummary, sleep } from './common.ts';
import { pacedRun, startLoadedServer } from './paced-run.ts';

const stationCount = argNumber('stations', 5000);
const rate = argNumber('rate', 5000);
const seconds = argNumber('seconds', 20);
const warmup = argNumber('warmup', 3);
const tokenCount = argNumber('tokens', 100_000);
const clientCount = argNumber('clients', 2);
const GOAL_P99_MS = 10;

const usePostgres = process.argv.includes('--postgres');
const machine = await printMachine(`authorize-latency (${usePostgres ? 'PostgreSQL' : 'embedded PGlite'})`);
const { server, stop } = await startLoadedServer({ postgres: usePostgres, tokens: { prefix: 'AUTH', count: tokenCount } });
const clients = LoadClients.start(clientCount);
try {
  const started = Date.now();
  const boot = await clients.connect({ url: server.url, prefix: 'AZ-', from: 0, total: stationCount, protocol: 'ocpp1.6', concurrency: 250, connectors: 1, password: false, retries: 2 });
  console.log(`${tokenCount} tokens; ${boot.booted} stations booted in ${((Date.now() - started) / 1000).toFixed(1)} s (${boot.failed} failed)`);
  if (boot.booted === 0) throw new Error('no station booted');
  await sleep(3000);

  const run = await pacedRun(server, clients, { rate, seconds, warmup, profile: { name: 'mix', tokenPrefix: 'AUTH', tokens: tokenCount } });
  const { result } = run;
  const authorize = result.byKind.get('Authorize') ?? new Histogram();
  const verdict = authorize.percentile(99) / 1000 <= GOAL_P99_MS ? 'goal met' : 'goal MISSED';
  console.log(`mixed load: ${result.completed} answers in ${seconds} s = ${Math.round(result.completed / seconds)}/s from ${result.stations} stations; errors ${result.errors}, late ${result.late}, dropped ${result.dropped}`);
  console.log(`  all messages: ${result.latency.summary()}`);
  console.log(`  Authorize:    ${authorize.summary()}  (${authorize.count} round trips, ${result.notAccepted} not Accepted)`);
  console.log(`  server CPU ${run.serverCpuPercent}% of one core; machine ${run.machineBusyPercent}% busy`);
  const slow = result.worstPer100ms.map((ms, i) => [i / 10, ms] as const).filter(([, ms]) => ms > 20);
  console.log(`  100 ms windows with an answer slower than 20 ms (s into the window: worst ms): ${slow.map(([t, ms]) => `${t.toFixed(1)}:${Math.round(ms)}`).join(' ') || 'none'}`);
  console.log(`Authorize p99 ${(authorize.percentile(99) / 1000).toFixed(2)} ms vs goal ${GOAL_P99_MS} ms: ${verdict}`);
  console.log(server.describeLogs());
  printSummary({
    benchmark: 'authorize-latency', database: usePostgres ? 'postgresql' : 'pglite', machine, stations: boot.booted, tokens: tokenCount, ratePerSec: rate, seconds,
    answeredPerSec: Math.round(result.completed / seconds), errors: result.errors, late: result.late, dropped: result.dropped,
    allP50Ms: result.latency.percentile(50) / 1000, allP99Ms: result.latency.percentile(99) / 1000,
    authorizeCount: authorize.count, authorizeP50Ms: authorize.percentile(50) / 1000, authorizeP99Ms: authorize.percentile(99) / 1000, authorizeMaxMs: authorize.maxUs / 1000,
    authorizeNotAccepted: result.notAccepted, serverCpuPercent: run.serverCpuPercent, machineBusyPercent: run.machineBusyPercent, verdict,
  });
} finally {
  await clients.close();
  await stop();
}
