/**
 * Steady state of one node (issue 6): a fleet that charges. --stations OCPP 1.6
 * stations (load-client processes, raw ws) boot, then run charging sessions in
 * an open loop at --rate messages/s in total: Authorize, StartTransaction,
 * --meter-values MeterValues of 10 sampled values each, StopTransaction, then a
 * Heartbeat and a StatusNotification, over and over (load-scripts.ts, profile
 * "steady"). A station has one message in flight at a time, as in OCPP-J.
 *
 * Goals: >= 10,000 messages/s per node, Authorize p99 <= 10 ms, transaction
 * events durable within 1 s. The server answers a transaction message only
 * after its database commit (ADR 8, ADR 14), so the round trip of Start /
 * MeterValues / Stop bounds the time to durable; after the run the stored
 * events and sampled values are counted against what was answered.
 *
 * PostgreSQL (a throw-away database next to CHARGEBRIDGE_TEST_DATABASE_URL) by
 * default; --pglite runs on the embedded database instead.
 *
 *   npx tsx bench/steady-state.ts [--stations 5000] [--rate 10000] [--seconds 20] [--meter-values 6] [--clients 2] [--pglite]
 */
import pg from 'pg';
import { LoadClients } from './clients.ts';
import { Histogram } from './histogram.ts';
import { argNumber, printMachine, printSummary, sleep } from './common.ts';
import { pacedRun, startLoadedServer } from './paced-run.ts';

const stationCount = argNumber('stations', 5000);
const rate = argNumber('rate', 10_000);
const seconds = argNumber('seconds', 20);
const warmup = argNumber('warmup', 3);
const meterValuesPerSession = argNumber('meter-values', 6);
const clientCount = argNumber('clients', 2);
const tokenCount = 10_000;
const usePostgres = !process.argv.includes('--pglite');
const GOALS = { messagesPerSec: 10_000, authorizeP99Ms: 10, durableP99Ms: 1000 };
const TRANSACTION_KINDS = ['StartTransaction', 'MeterValues', 'StopTransaction'];

const machine = await printMachine(`steady-state (${usePostgres ? 'PostgreSQL' : 'embedded PGlite'})`);
const { server, database, stop } = await startLoadedServer({ postgres: usePostgres, tokens: { prefix: 'STEADY', count: tokenCount } });
const clients = LoadClients.start(clientCount);
try {
  const boot = await clients.connect({ url: server.url, prefix: 'ST-', from: 0, total: stationCount, protocol: 'ocpp1.6', concurrency: 250, connectors: 1, password: false, retries: 2 });
  console.log(`${boot.booted} stations booted (${boot.failed} failed)`);
  if (boot.booted === 0) throw new Error('no station booted');
  await sleep(3000);

  const run = await pacedRun(server, clients, { rate, seconds, warmup, profile: { name: 'steady', tokenPrefix: 'STEADY', tokens: tokenCount, meterValuesPerSession } });
  const { result } = run;
  const kind = (name: string) => result.byKind.get(name) ?? new Histogram();
  const transactionLatency = new Histogram();
  for (const name of TRANSACTION_KINDS) transactionLatency.merge(kind(name).toJSON());
  console.log(`steady state: ${result.completed} answers in ${seconds} s = ${run.answeredPerSec}/s from ${result.stations} stations; errors ${result.errors}, late ${result.late}, dropped ${result.dropped}, not accepted ${result.notAccepted}`);
  for (const [name, h] of [...result.byKind].sort()) console.log(`  ${name.padEnd(18)} ${h.summary()}`);
  console.log(`  transaction messages (receipt -> durable -> answered): ${transactionLatency.summary()}`);
  console.log(`  server CPU ${run.serverCpuPercent}% of one core; machine ${run.machineBusyPercent}% busy`);

  let stored: Record<string, number> | null = null;
  if (database) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const count = async (table: string) => Number((await client.query(`select count(*)::int as n from ${table}`)).rows[0].n);
    stored = { transactions: await count('transactions'), events: await count('transaction_events'), sampledValues: await count('transaction_meter_values') };
    await client.end();
    console.log(`  stored in PostgreSQL: ${stored.transactions} transactions, ${stored.events} transaction events, ${stored.sampledValues} sampled values`);
  }
  const verdicts = {
    messagesPerSec: run.answeredPerSec >= GOALS.messagesPerSec ? 'met' : 'MISSED',
    authorizeP99: kind('Authorize').percentile(99) / 1000 <= GOALS.authorizeP99Ms ? 'met' : 'MISSED',
    durableP99: transactionLatency.percentile(99) / 1000 <= GOALS.durableP99Ms ? 'met' : 'MISSED',
  };
  console.log(`goals: ${JSON.stringify(verdicts)}`);
  console.log(server.describeLogs());
  printSummary({
    benchmark: 'steady-state', database: usePostgres ? 'postgresql' : 'pglite', machine, stations: boot.booted, ratePerSec: rate, seconds, meterValuesPerSession,
    answeredPerSec: run.answeredPerSec, errors: result.errors, late: result.late, dropped: result.dropped, notAccepted: result.notAccepted,
    p99ByKindMs: Object.fromEntries([...result.byKind].map(([name, h]) => [name, Math.round(h.percentile(99)) / 1000])),
    authorizeP99Ms: kind('Authorize').percentile(99) / 1000, transactionP50Ms: transactionLatency.percentile(50) / 1000, transactionP99Ms: transactionLatency.percentile(99) / 1000,
    stored, serverCpuPercent: run.serverCpuPercent, machineBusyPercent: run.machineBusyPercent, verdicts, serverWarnings: server.warnings, serverErrors: server.errors,
  });
} finally {
  await clients.close();
  await stop();
}
