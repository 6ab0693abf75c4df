/**
 * Configuration reconcile after a boot storm (issue 14): a tenant-wide template sets K keys
 * (default 6: 3 already in sync at "60", 3 drifted), then N stations (default 1,000, OCPP 1.6)
 * boot at once. Each accepted boot starts a reconciliation: one GetConfiguration of the K keys,
 * then one ChangeConfiguration per drifted key, all through the durable command queue.
 *
 * Reports the time from the storm start until every station's reconciliation settled (from
 * GET /api/v1/configuration-drift), the commands that took, and the server's CPU and RSS.
 *
 * With --baseline the same storm runs without a template (nothing to reconcile), for the ratio.
 *
 *   npx tsx bench/config-reconcile.ts [N] [--clients 2] [--concurrency 250] [--postgres] [--baseline]
 */
import { LoadClients } from './clients.ts';
import { argNumber, mib, printMachine, printSummary, sleep, throwAwayPostgres } from './common.ts';
import { ADMIN_TOKEN, adminPost, ServerUnderTest } from './server.ts';

const positional = process.argv.slice(2).find((a, i, all) => /^\d+$/.test(a) && !all[i - 1]?.startsWith('--'));
const total = Number(positional ?? 1_000);
const clientCount = argNumber('clients', 2);
const concurrency = argNumber('concurrency', 250);
const usePostgres = process.argv.includes('--postgres');
const baseline = process.argv.includes('--baseline');
const TIMEOUT_MS = 300_000;

const SETTINGS = [
  { key: 'HeartbeatInterval', value: '60' },
  { key: 'ConnectionTimeOut', value: '60' },
  { key: 'ClockAlignedDataInterval', value: '60' },
  { key: 'MeterValueSampleInterval', value: '30' },
  { key: 'TransactionMessageAttempts', value: '5' },
  { key: 'TransactionMessageRetryInterval', value: '30' },
];
const DRIFTED = SETTINGS.filter((s) => s.value !== '60').length;

async function driftTotals(server: ServerUnderTest) {
  const response = await fetch(`${server.http}/api/v1/configuration-drift?limit=1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return ((await response.json()) as { totals: { stations: number; settled: number; withDrift: number; withUnfixed: number } }).totals;
}

const machine = await printMachine(`config-reconcile (${usePostgres ? 'PostgreSQL' : 'embedded PGlite'})`);
console.log(
  baseline
    ? `N=${total} OCPP 1.6 stations, BASELINE: no template, ${clientCount} load clients x ${concurrency} concurrent`
    : `N=${total} OCPP 1.6 stations, template of ${SETTINGS.length} keys (${DRIFTED} drifted on every station), ${clientCount} load clients x ${concurrency} concurrent`,
);
const database = usePostgres ? await throwAwayPostgres(process.env.CHARGEBRIDGE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres') : null;
if (database) process.env.DATABASE_URL = database.url;
const server = await ServerUnderTest.start();
let clients: LoadClients | undefined;
try {
  if (!baseline) {
    const created = await adminPost(server, '/config-templates', { name: 'bench fleet', match: {}, settings: SETTINGS });
    if (created !== 201) throw new Error(`creating the template answered ${created}`);
  }
  clients = LoadClients.start(clientCount);
  await sleep(1500);
  const cpuBefore = server.cpuSeconds();
  const storm = await clients.connect({ url: server.url, prefix: 'CR-', from: 0, total, protocol: 'ocpp1.6', concurrency, connectors: 1, password: false, retries: 5 });
  const bootsSec = (storm.lastBootAt - storm.startAt) / 1000;
  let totals = await driftTotals(server);
  while (totals.settled < total && Date.now() - storm.startAt < TIMEOUT_MS) {
    await sleep(1000);
    totals = await driftTotals(server);
  }
  const settledSec = (Date.now() - storm.startAt) / 1000;
  const cpu = server.cpuSeconds() - cpuBefore;
  const commands = DRIFTED + 1;
  console.log(`${storm.booted}/${total} boots Accepted, last after ${bootsSec.toFixed(1)} s (${storm.retries} attempts retried, ${storm.failed} failed); ${storm.csmsCalls} CSMS calls answered by the stations`);
  console.log(`  connect -> boot Accepted: ${storm.latency.summary()}`);
  console.log(
    `reconciled ${totals.settled}/${total} stations (${totals.withDrift} with drift, ${totals.withUnfixed} with keys not fixed) ${settledSec.toFixed(1)} s after the storm started ` +
      `(${Math.round(totals.settled / settledSec)} stations/s, ${Math.round((totals.settled * commands) / settledSec)} commands/s)`,
  );
  console.log(`server CPU ${cpu.toFixed(1)} s (${((cpu / totals.settled) * 1000).toFixed(1)} ms per station reconciled); RSS after ${mib(server.rssBytes())}; ${server.describeLogs()}`);
  printSummary({ benchmark: 'config-reconcile', baseline, machine, stations: total, keys: SETTINGS.length, drifted: DRIFTED, bootsSec, settled: totals.settled, settledSec, serverCpuSec: cpu, serverRss: server.rssBytes() });
} finally {
  await clients?.close();
  await server.stop();
  await database?.drop();
}
