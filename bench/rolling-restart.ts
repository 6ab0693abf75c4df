/**
 * Rolling restart under load (issue 6): --nodes Chargebridge nodes on one
 * PostgreSQL database and a private NATS, stations spread over them as by a
 * load balancer that is not sticky, charging in an open loop at --rate
 * messages/s (profile "steady": Authorize, StartTransaction, MeterValues,
 * StopTransaction, Heartbeat, StatusNotification; OCPP 1.6). During the run
 * every node in turn is stopped with SIGTERM and started again, as an
 * operator deploying a new version would.
 *
 * A stopping node answers what it is handling, then closes each socket with
 * 1012 (ocpp-server.ts); the stations reconnect to the next node after
 * 100-1000 ms, boot, and send again what was left unanswered (load-client.ts).
 *
 * Reports: throughput per second around each restart, reconnect time (close ->
 * boot accepted), messages sent twice, errors, Authorize and transaction
 * round trips over the whole run, and the ledger: every answered
 * StartTransaction / MeterValues / StopTransaction against the rows in
 * PostgreSQL (nothing lost, nothing doubled).
 *
 *   CHARGEBRIDGE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx bench/rolling-restart.ts [--nodes 2] [--stations 2000] [--rate 1000] [--seconds 60] [--meter-values 6] [--clients 2]
 */
import pg from 'pg';
import { LoadClients } from './clients.ts';
import { Histogram } from './histogram.ts';
import { argNumber, machineCpuSeconds, printMachine, printSummary, sleep, throwAwayPostgres } from './common.ts';
import { startNats } from './nats-server.ts';
import { importTokens, LOADED_SERVER_CONFIG } from './paced-run.ts';
import { ServerUnderTest } from './server.ts';

const nodeCount = argNumber('nodes', 2);
const stationCount = argNumber('stations', 2000);
const rate = argNumber('rate', 1000);
const seconds = argNumber('seconds', 60);
const meterValuesPerSession = argNumber('meter-values', 6);
const clientCount = argNumber('clients', 2);
/** --restarts 0 runs the same load without restarting anything (the baseline). */
const restartCount = argNumber('restarts', nodeCount);
const tokenCount = 5000;
const SAMPLES_PER_METER_VALUE = 10; // load-scripts.ts samples()

const machine = await printMachine(`rolling restart of ${nodeCount} nodes (PostgreSQL + NATS)`);
const database = await throwAwayPostgres(process.env.CHARGEBRIDGE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const nats = await startNats();
const nodes: ServerUnderTest[] = [];
const startNode = (i: number) =>
  ServerUnderTest.start({
    // Log level info for the node's "stopped" line (time per part of the stop).
    env: { DATABASE_URL: database.url, NATS_URL: nats.url, CHARGEBRIDGE_NODE_ID: `roll-${i}`, CHARGEBRIDGE_LOG_LEVEL: 'info' },
    config: LOADED_SERVER_CONFIG,
  });
let clients: LoadClients | null = null;
try {
  // The first node migrates the database; the others start on it.
  nodes.push(await startNode(0));
  nodes.push(...(await Promise.all(Array.from({ length: nodeCount - 1 }, (_, i) => startNode(i + 1)))));
  await importTokens(nodes[0]!, 'ROLL', tokenCount);
  clients = LoadClients.start(clientCount);
  const urls = nodes.map((n) => n.url);
  const boot = await clients.connect({ url: urls[0]!, urls, prefix: 'RR-', from: 0, total: stationCount, protocol: 'ocpp1.6', concurrency: 200, connectors: 1, password: false, retries: 2 });
  console.log(`${boot.booted} stations booted over ${nodeCount} nodes (${boot.failed} failed)`);
  if (boot.booted === 0) throw new Error('no station booted');
  await sleep(2000);

  // No warm-up: every message of the run is counted, so the ledger below can be exact.
  const startAt = Date.now() + 500;
  const cpuBefore = machineCpuSeconds();
  const running = clients.heartbeats({
    cmd: 'paced', startAt, warmupMs: 0, durationMs: seconds * 1000, ratePerSec: rate,
    profile: { name: 'steady', tokenPrefix: 'ROLL', tokens: tokenCount, meterValuesPerSession },
  });
  const restarts: Array<{ node: number; atSec: number; drainMs: number; startMs: number; stopTookMs: Record<string, number> | null }> = [];
  for (let i = 0; i < restartCount; i++) {
    // Restarts spread over the run: node i at (i + 1) / (restarts + 1) of it.
    await sleep(startAt + ((i + 1) * seconds * 1000) / (restartCount + 1) - Date.now());
    const began = Date.now();
    await nodes[i]!.stop();
    const stopped = Date.now();
    await nodes[i]!.restart();
    const stopTookMs = nodes[i]!.stopTookMs;
    restarts.push({ node: i, atSec: Math.round((began - startAt) / 100) / 10, drainMs: stopped - began, startMs: Date.now() - stopped, stopTookMs });
    console.log(`  node ${i}: SIGTERM at ${restarts.at(-1)!.atSec} s, exited ${stopped - began} ms later (${stopTookMs ? JSON.stringify(stopTookMs) : 'killed: no clean stop'}), ready again ${Date.now() - stopped} ms later`);
  }
  const result = await running;
  const cpuAfter = machineCpuSeconds();
  const kind = (name: string) => result.byKind.get(name) ?? new Histogram();
  const transactionLatency = new Histogram();
  for (const name of ['StartTransaction', 'MeterValues', 'StopTransaction']) transactionLatency.merge(kind(name).toJSON());
  const answered = (name: string) => kind(name).count;
  const offered = rate * seconds;
  console.log(`run: ${result.completed} answered of ${offered} offered in ${seconds} s (+ ${result.unsent} still queued at the end); errors ${result.errors}, not accepted ${result.notAccepted}, late ${result.late}`);
  for (const [name, h] of [...result.byKind].sort()) console.log(`  ${name.padEnd(18)} ${h.summary()}`);
  const perSecond = result.answeredPerSecond;
  console.log(`  answered per second: ${perSecond.join(' ')}`);
  const failover = result.failover;
  if (failover) {
    console.log(`  reconnects ${failover.reconnects}, messages sent again ${failover.resent}, failed attempts ${failover.failedAttempts}, close codes ${JSON.stringify(failover.closeCodes)}`);
    console.log(`  socket closed -> open again: ${failover.openLatency.summary()}`);
    console.log(`  socket closed -> booted again: ${failover.latency.summary()}`);
  }

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const count = async (query: string) => Number((await client.query(query)).rows[0].n);
  const stored = {
    transactions: await count('select count(*)::int as n from transactions'),
    completed: await count("select count(*)::int as n from transactions where state = 'completed'"),
    sampledValues: await count('select count(*)::int as n from transaction_meter_values'),
  };
  await client.end();
  const expected = { transactions: answered('StartTransaction'), completed: answered('StopTransaction'), sampledValues: answered('MeterValues') * SAMPLES_PER_METER_VALUE };
  const ledger = Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, { answered: value, stored: stored[key as keyof typeof stored] }]));
  const exact = Object.values(ledger).every((l) => l.answered === l.stored);
  console.log(`  ledger (answered -> stored): ${JSON.stringify(ledger)} ${exact ? 'exact' : 'MISMATCH'}`);

  const steadySeconds = perSecond.filter((_, s) => restarts.every((r) => Math.abs(s - r.atSec) > 5));
  const mean = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length));
  const dips = restarts.map((r) => Math.min(...perSecond.slice(Math.floor(r.atSec), Math.floor(r.atSec) + 5)));
  const logs = nodes.map((n) => n.describeLogs());
  for (const line of logs) console.log(`  ${line}`);
  printSummary({
    benchmark: 'rolling-restart', machine, nodes: nodeCount, restartCount, stations: boot.booted, ratePerSec: rate, seconds, meterValuesPerSession,
    answered: result.completed, offered, unsent: result.unsent, errors: result.errors, notAccepted: result.notAccepted,
    answeredPerSecSteady: mean(steadySeconds), answeredPerSecWorstAfterRestart: dips, restarts,
    reconnects: failover?.reconnects ?? 0, resent: failover?.resent ?? 0, failedAttempts: failover?.failedAttempts ?? 0, closeCodes: failover?.closeCodes ?? {},
    reconnectP50Ms: (failover?.latency.percentile(50) ?? 0) / 1000, reconnectP99Ms: (failover?.latency.percentile(99) ?? 0) / 1000, reconnectMaxMs: (failover?.latency.maxUs ?? 0) / 1000,
    authorizeP99Ms: kind('Authorize').percentile(99) / 1000, transactionP99Ms: transactionLatency.percentile(99) / 1000, transactionMaxMs: transactionLatency.maxUs / 1000,
    ledger, ledgerExact: exact, machineBusyPercent: Math.round(((cpuAfter.busy - cpuBefore.busy) * 100) / (cpuAfter.total - cpuBefore.total)),
    serverWarnings: nodes.reduce((n, s) => n + s.warnings, 0), serverErrors: nodes.reduce((n, s) => n + s.errors, 0),
  });
} finally {
  await clients?.close();
  await Promise.allSettled(nodes.map((n) => n.stop()));
  await database.drop();
}
// The private nats-server is a tracked child: exiting kills it (common.ts), waiting would not end.
process.exit(0);
