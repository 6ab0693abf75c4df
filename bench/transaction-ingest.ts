/**
 * Transaction ingest with persistence, and Authorize decision cost.
 *
 * Ingest: N simulated stations each replay meter-value messages (10 sampled
 * values each: energy, power, current/voltage per phase) through the real
 * TransactionService (dedupe -> merge -> one database transaction per message)
 * on embedded PGlite and, when CHARGEBRIDGE_TEST_DATABASE_URL is set, on
 * PostgreSQL. Reports messages/s and sampled values stored/s, and the p50/p99
 * time from receipt to durable (the service resolves after the commit).
 * This measures the persistence path without sockets; the socket path is
 * measured by heartbeat-throughput.ts.
 *
 * Authorize: the in-memory decision for 100,000 tokens, p50/p99 per call.
 *
 * Without --period-ms every station sends its next message as soon as the
 * previous one is durable (closed loop: the ceiling). With --period-ms each
 * station sends one message per period (open loop at a chosen rate, the way
 * a fleet's sampling interval sets it), still one outstanding message per
 * station as in OCPP-J.
 *
 *   npx tsx bench/transaction-ingest.ts [--stations 50] [--messages 40] [--period-ms 0] [--only pglite|postgresql]
 */
import { ALL_TENANTS } from '../src/kernel/tenant-scope.ts';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { openStorage, type Storage } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrator.ts';
import { InProcessEventBus } from '../src/cluster/event-bus.ts';
import { SqlTransactionRepository, TransactionService } from '../src/capabilities/transactions/index.ts';
import { AuthorizationService, AutochargeGuard, SqlAutochargeRepository, SqlTokenRepository } from '../src/capabilities/authorization/index.ts';
import { argNumber, printMachine, printSummary, tempDir, throwAwayPostgres } from './common.ts';
import { Histogram } from './histogram.ts';

const STATIONS = argNumber('stations', 50);
const MESSAGES = argNumber('messages', 40);
const PERIOD_MS = argNumber('period-ms', 0);
const SAMPLES_PER_MESSAGE = 10;

function samples(at: Date, wh: number) {
  const s = (measurand: string, value: number, unit: string, phase: string | null = null) => ({ at, measurand, phase, location: 'Outlet', context: 'Sample.Periodic', value, unit });
  return [
    s('Energy.Active.Import.Register', wh, 'Wh'),
    s('Power.Active.Import', 11_000, 'W'),
    ...['L1', 'L2', 'L3'].flatMap((phase) => [s('Current.Import', 16, 'A', phase), s('Voltage', 230, 'V', phase)]),
    s('SoC', 55, 'Percent'),
    s('Temperature', 31, 'Celsius'),
  ].slice(0, SAMPLES_PER_MESSAGE);
}

async function ingest(label: string, storage: Storage): Promise<Record<string, unknown>> {
  await migrateToLatest(storage.db);
  const tokens = { statusOf: () => 'Accepted' as const };
  const service = new TransactionService(new SqlTransactionRepository(storage.db), new InProcessEventBus(), () => new Date(), randomUUID, tokens, pino({ level: 'silent' }));
  const latency = new Histogram();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: STATIONS }, async (_, n) => {
      const stationId = `BENCH-${label}-${n}`;
      const txId = randomUUID();
      const firstSlot = performance.now() + Math.random() * PERIOD_MS;
      for (let seq = 0; seq < MESSAGES; seq++) {
        const wait = firstSlot + seq * PERIOD_MS - performance.now();
        if (PERIOD_MS > 0 && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const at = new Date(Date.now() - (MESSAGES - seq) * 10_000);
        const t0 = performance.now();
        await service.observe({
          stationId,
          tenantId: 'default',
          version: '2.0.1',
          dedupeKey: `event:${txId}:${seq}`,
          receivedAt: new Date(),
          summary: { seq },
          observation: { kind: seq === 0 ? 'started' : 'updated', ocppTransactionId: txId, at, seqNo: seq, offline: false, evseId: 1, connectorId: 1, samples: samples(at, seq * 30) },
        });
        latency.record((performance.now() - t0) * 1000);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const messages = STATIONS * MESSAGES;
  await storage.close();
  return {
    engine: label,
    stations: STATIONS,
    periodMs: PERIOD_MS,
    messages,
    messagesPerSec: Math.round(messages / seconds),
    sampledValuesPerSec: Math.round((messages * SAMPLES_PER_MESSAGE) / seconds),
    durableP50ms: Number((latency.percentile(50) / 1000).toFixed(2)),
    durableP99ms: Number((latency.percentile(99) / 1000).toFixed(2)),
  };
}

async function authorizeCost(): Promise<Record<string, unknown>> {
  const storage = await openStorage({ kind: 'pglite' });
  await migrateToLatest(storage.db);
  const log = pino({ level: 'silent' });
  const guard = new AutochargeGuard(new SqlAutochargeRepository(storage.db), { concurrentWindowSec: 120, travelWindowSec: 1800 }, () => null, () => new Date(), log);
  const service = new AuthorizationService(new SqlTokenRepository(storage.db), () => new Date(), guard, { defaultTenantId: 'default', writableTenant: async () => 'default' });
  await service.start();
  const count = 100_000;
  await service.importMany(ALL_TENANTS, Array.from({ length: count }, (_, i) => ({ idToken: `TOK${i}`, groupId: i % 10 === 0 ? 'TOK1' : null })));
  const latency = new Histogram();
  const now = new Date();
  const calls = 200_000;
  const all0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    service.authorize(`TOK${(i * 7919) % (count + 1000)}`, now, { stationId: 'S', tenantId: 'default', type: 'ISO14443' });
    latency.record((performance.now() - t0) * 1000);
  }
  const meanNs = ((performance.now() - all0) * 1e6) / calls;
  await storage.close();
  // Histogram resolution is 1 µs: p99 "1" means under a microsecond.
  return { tokens: count, authorizeMeanNsInclTimer: Math.round(meanNs), authorizeP99us: latency.percentile(99), authorizeMaxUs: Math.round(latency.maxUs) };
}

await printMachine('transaction ingest and Authorize');
const results: Record<string, unknown>[] = [];
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
if (only !== 'postgresql') results.push(await ingest('pglite', await openStorage({ kind: 'pglite', dataDir: tempDir('cb-ingest-') })));
const url = process.env.CHARGEBRIDGE_TEST_DATABASE_URL;
if (url && only !== 'pglite') {
  const database = await throwAwayPostgres(url);
  results.push(await ingest('postgresql', await openStorage({ kind: 'postgres', url: database.url, maxConnections: 10 })));
  await database.drop();
} else {
  console.log('PostgreSQL skipped: set CHARGEBRIDGE_TEST_DATABASE_URL');
}
for (const r of results) printSummary(r);
if (!only) printSummary(await authorizeCost());
