/**
 * NotifyReport ingest for a station with 5,000 variables (issue 14, "Measure"): a Chargebridge
 * in this process (PGlite in a temporary directory, or PostgreSQL with --postgres), one 2.0.1
 * simulated station over a real WebSocket, a getBaseReport command, then the report in parts
 * (default 50 parts of 100 variables, each with two attributes and characteristics), one part
 * at a time as OCPP-J allows. Reports the time from the first part to the report being complete,
 * per-part p50/p99, and the memory growth (RSS and heap) across the ingest. Server and station
 * share the process, so memory figures bound the server's from above.
 *
 *   npx tsx bench/device-model-notify-report.ts [--parts 50] [--per-part 100] [--postgres URL]
 */
import { cpus } from 'node:os';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startChargebridge } from '../src/app.ts';
import { SimStation } from '../sim/index.ts';
import { argNumber, argString, mib, printMachine, printSummary, tempDir, throwAwayPostgres } from './common.ts';
import { Histogram } from './histogram.ts';

const PARTS = argNumber('parts', 50);
const PER_PART = argNumber('per-part', 100);
const POSTGRES = argString('postgres', '');
const TOKEN = 'bench-admin-token-0123456789';

function reportData(part: number) {
  return Array.from({ length: PER_PART }, (_, i) => ({
    component: { name: `BenchCtrlr${part % 20}`, ...(i % 3 === 0 ? { evse: { id: 1 + (i % 4) } } : {}) },
    variable: { name: `Variable${part}x${i}`, ...(i % 5 === 0 ? { instance: 'Main' } : {}) },
    variableAttribute: [
      { type: 'Actual', value: `value-${part}-${i}-${'x'.repeat(20)}`, mutability: 'ReadWrite', persistent: true, constant: false },
      { type: 'MaxSet', value: '1000', mutability: 'ReadOnly' },
    ],
    variableCharacteristics: { dataType: 'integer', unit: 'W', minLimit: 0, maxLimit: 1000, supportsMonitoring: true },
  }));
}

async function main(): Promise<void> {
  const machine = await printMachine(`NotifyReport ingest: ${PARTS} parts x ${PER_PART} variables`);
  const database = POSTGRES ? await throwAwayPostgres(POSTGRES) : null;
  const config = loadConfig({ CHARGEBRIDGE_DATA_DIR: tempDir('cb-bench-dm') }, { host: '127.0.0.1', port: 0, adminToken: TOKEN, logLevel: 'silent', ...(database ? { databaseUrl: database.url } : {}) } as never);
  const app = await startChargebridge(config, { log: pino({ level: 'silent' }) });
  const base = `http://127.0.0.1:${app.port}/api/v1`;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await response.json()) as any;
  };
  const id = 'BENCH-DM-1';
  await api('POST', '/stations', { id });
  const station = new SimStation({ url: `ws://127.0.0.1:${app.port}/ocpp`, id, version: '2.0.1', heartbeats: false, reconnect: false, callTimeoutMs: 60_000 });
  station.handle('GetBaseReport', () => ({ status: 'Accepted' }));
  await station.start();
  const asked = await api('POST', `/stations/${id}/commands?wait=10`, { type: 'getBaseReport', reportBase: 'FullInventory' });
  if (asked.state !== 'accepted') throw new Error(`getBaseReport not accepted: ${JSON.stringify(asked)}`);
  const requestId = (await api('GET', `/stations/${id}/reports`)).items[0].requestId as number;

  // Payloads are built before the clock starts, so the figures are the CSMS's (and the socket's).
  const payloads = Array.from({ length: PARTS }, (_, seqNo) => ({ requestId, seqNo, tbc: seqNo < PARTS - 1, generatedAt: new Date().toISOString(), reportData: reportData(seqNo) }));
  const bytes = payloads.reduce((sum, p) => sum + JSON.stringify(p).length, 0);
  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  const perPart = new Histogram();
  const started = performance.now();
  for (const payload of payloads) {
    const t0 = performance.now();
    await station.call('NotifyReport', payload);
    perPart.record((performance.now() - t0) * 1000);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const elapsedMs = performance.now() - started;
  const after = process.memoryUsage();
  const report = (await api('GET', `/stations/${id}/reports`)).items[0];
  const stored = (await api('GET', `/stations/${id}/configuration?limit=1`)).total as number;
  await station.stop();
  await app.stop();
  await database?.drop();

  const variables = PARTS * PER_PART;
  const summary = {
    bench: 'device-model-notify-report',
    engine: database ? 'postgresql' : 'pglite',
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    parts: PARTS,
    variables,
    payloadMiB: Number((bytes / 2 ** 20).toFixed(2)),
    state: report.state,
    stored,
    elapsedMs: Math.round(elapsedMs),
    variablesPerSec: Math.round(variables / (elapsedMs / 1000)),
    partMsP50: Number((perPart.percentile(50) / 1000).toFixed(1)),
    partMsP99: Number((perPart.percentile(99) / 1000).toFixed(1)),
    rssDeltaMiB: Number(((after.rss - before.rss) / 2 ** 20).toFixed(1)),
    peakRssDeltaMiB: Number(((peakRss - before.rss) / 2 ** 20).toFixed(1)),
    heapDeltaMiB: Number(((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(1)),
    machine,
  };
  console.log(`${variables} variables in ${PARTS} parts (${mib(bytes)} of JSON): ${summary.elapsedMs} ms, ${summary.variablesPerSec} variables/s; part p50 ${summary.partMsP50} ms, p99 ${summary.partMsP99} ms`);
  console.log(`report ${report.state}, ${stored} variables stored; RSS +${summary.rssDeltaMiB} MiB (peak +${summary.peakRssDeltaMiB} MiB), heap +${summary.heapDeltaMiB} MiB`);
  printSummary(summary);
}

await main();
