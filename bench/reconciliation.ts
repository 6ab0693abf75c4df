/**
 * Three-way reconciliation of a day of 1,000,000 sessions on PostgreSQL (issue 15).
 *
 * Seeds a throw-away database (created next to CHARGEBRIDGE_BENCH_DATABASE_URL, dropped at the
 * end) with set-based inserts: N completed transactions stopped in one UTC day (two tenants), a
 * CDR for each, a captured hold for every second one, and P planted discrepancies of each ledger
 * kind plus controls that must NOT be listed (a zero-energy session whose flat fee explains its
 * bill, a CDR corrected by a credit and a new debit that the hold matches). Then runs the
 * reconciliation the way the API and the daily job do (ReconciliationService over the SQL
 * repository, no gateway), checks that exactly the planted discrepancies are found, and prints
 * the time of each phase and the peak RSS of this process (sampled every 20 ms).
 *
 *   npx tsx bench/reconciliation.ts [--sessions 1000000] [--planted 300]
 *   CHARGEBRIDGE_BENCH_DATABASE_URL=postgres://user@host:5432/postgres (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import pino from 'pino';
import { sql } from 'kysely';
import { openStorage } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrator.ts';
import { checkTenantReads } from '../src/storage/tenant-reads.ts';
import { ALL_TENANTS } from '../src/kernel/tenant-scope.ts';
import { ReconciliationService, SqlReconciliationRepository, type Discrepancy } from '../src/capabilities/reconciliation/index.ts';
import { argNumber, mib, printMachine, printSummary, throwAwayPostgres } from './common.ts';

const N = argNumber('sessions', 1_000_000);
const P = argNumber('planted', 300);
const URL = process.env.CHARGEBRIDGE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAY_MS = 24 * 3600_000;

/** Session categories by index: the first P of each are planted, the rest are clean. */
const CATEGORIES = ['no-cdr', 'no-tariff', 'no-energy', 'flat-explained', 'hold-open', 'capture-short', 'shortfall', 'double-capture', 'corrected'] as const;
const EXPECTED: Record<string, Array<(typeof CATEGORIES)[number]>> = {
  'delivered-not-billed': ['no-cdr', 'no-tariff'],
  'billed-not-delivered': ['no-energy'],
  'hold-never-released': ['hold-open'],
  'capture-mismatch': ['capture-short'],
  uncollected: ['shortfall'],
  'duplicate-capture': ['double-capture'],
  'gateway-mismatch': [],
};

const machine = await printMachine(`reconciliation: ${N.toLocaleString('en')} sessions on PostgreSQL, ${P} planted per kind`);
const database = await throwAwayPostgres(URL);
const storage = await openStorage({ kind: 'postgres', url: database.url, maxConnections: 4 });
const db = storage.db;

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const timed = async <T>(label: string, work: () => Promise<T>): Promise<{ value: T; seconds: number }> => {
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  console.log(`  ${label}: ${seconds.toFixed(2)} s`);
  return { value, seconds };
};

try {
  await migrateToLatest(db);
  const rls = await checkTenantReads(db);
  // The day before yesterday (UTC): every planted hold is long overdue, and the period is closed.
  const from = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 2 * DAY_MS);
  const period = { from, to: new Date(from.getTime() + DAY_MS) };
  const category = (i: string) => sql.raw(`case ${CATEGORIES.map((c, k) => `when ${i} <= ${(k + 1) * P} then '${c}'`).join(' ')} else 'clean' end`);
  console.log(`seeding (set-based) into ${storage.describe.replace(/:[^:@/]*@/, ':***@')}; period ${period.from.toISOString()} .. ${period.to.toISOString()}; row-level security ${rls ? 'on' : 'off'}`);

  const seed = await timed('seed total', async () => {
    await sql`insert into tenants (id, name, created_at) values ('bench-a', 'A', now()), ('bench-b', 'B', now())`.execute(db);
    // Sessions spread over the day in a shuffled order (7919 is prime to N's factors for the default N).
    await timed(`${N.toLocaleString('en')} transactions`, () =>
      sql`
        insert into transactions (id, station_id, tenant_id, ocpp_version, ocpp_transaction_id, evse_id, connector_id, id_token, state,
          started_at, stopped_at, meter_start_wh, meter_stop_wh, last_meter_wh, last_event_at, created_at, updated_at, version)
        select 'tx-' || i, 'ST-' || (i % 2000), case when i % 2 = 0 then 'bench-a' else 'bench-b' end, '1.6', i::text, 1, 1, 'TAG-' || (i % 5000), 'completed',
          s - interval '30 minutes', s, 0, e, e, s, s, s, 2
        from (select i, ${period.from}::timestamptz + make_interval(secs => ((i::bigint * 7919) % ${N}) * 86400.0 / ${N}) as s,
                     case when ${category('i')} in ('no-energy', 'flat-explained') then 0 else 10000 + i % 5000 end as e
              from generate_series(1, ${N}) i) g`.execute(db),
    );
    // One CDR each (not for 'no-cdr'): 0.30/kWh, energy only; planted ones billed wrongly; corrected ones in three records.
    await timed('CDRs', () =>
      sql`
        insert into cdrs (id, tenant_id, transaction_id, sequence, kind, corrects, transaction_version, station_id, evse_id, connector_id, id_token,
          started_at, stopped_at, energy_wh, currency, tariff_id, tariff_version, total_excl_tax, total_incl_tax, total_excl_tax_minor, total_incl_tax_minor,
          periods, meter, estimated, created_at)
        select 'cdr-' || t.ocpp_transaction_id || '-' || r.seq, t.tenant_id, t.id, r.seq, r.kind, case when r.kind = 'credit' then 'cdr-' || t.ocpp_transaction_id || '-1' end,
          2, t.station_id, 1, 1, t.id_token, t.started_at, t.stopped_at, ((case when r.kind = 'credit' then -1 else 1 end) * t.meter_stop_wh)::text,
          case when c = 'no-tariff' then null else 'EUR' end, case when c = 'no-tariff' then null else 'T' end, case when c = 'no-tariff' then null else 1 end,
          null, null, m, m,
          case when c = 'flat-explained' then '[{"elements":{"FLAT":0,"ENERGY":0}}]'::jsonb else '[{"elements":{"ENERGY":0}}]'::jsonb end,
          '{}'::jsonb, false, t.stopped_at
        from (select t.*, ${category('t.ocpp_transaction_id::int')} as c from transactions t) t
        cross join lateral (
          select seq, kind, case when c = 'no-tariff' then null
                                 when c = 'no-energy' then 500 when c = 'flat-explained' then 100
                                 when kind = 'credit' then -(t.meter_stop_wh::bigint * 3 / 100 + 77)
                                 when seq = 1 and c = 'corrected' then t.meter_stop_wh::bigint * 3 / 100 + 77
                                 else t.meter_stop_wh::bigint * 3 / 100 end as m
          from (values (1, 'debit'), (2, 'credit'), (3, 'debit')) v(seq, kind) where seq = 1 or c = 'corrected'
        ) r
        where c <> 'no-cdr'`.execute(db),
    );
    // Holds: every second clean session captured exactly; the planted ones as their category says.
    await timed('holds', () =>
      sql`
        insert into payment_holds (id, tenant_id, station_id, evse_id, id_token, transaction_id, currency, authorized_minor, capture_minor, shortfall_minor,
          cdr_id, gateway, gateway_ref, state, increments, last_error, created_at, updated_at, version)
        select 'hold-' || t.ocpp_transaction_id || '-' || n, t.tenant_id, t.station_id, 1, 'PAY-' || t.ocpp_transaction_id || '-' || n, t.id, 'EUR', 5000,
          case when c = 'hold-open' then null when c = 'capture-short' then owed - 10 when c = 'shortfall' then owed - 100 else owed end,
          case when c = 'shortfall' then 100 else 0 end, null, 'stripe', 'pi_' || t.ocpp_transaction_id || '_' || n,
          case when c = 'hold-open' then 'authorized' else 'captured' end, 0, null, t.started_at, t.stopped_at, 3
        from (select t.*, ${category('t.ocpp_transaction_id::int')} as c, t.meter_stop_wh::bigint * 3 / 100 as owed from transactions t) t
        cross join lateral generate_series(1, case when c = 'double-capture' then 2 else 1 end) n
        where c in ('hold-open', 'capture-short', 'shortfall', 'double-capture', 'corrected') or (c = 'clean' and t.ocpp_transaction_id::int % 2 = 0)`.execute(db),
    );
    await timed('analyze', () => sql`analyze transactions; analyze cdrs; analyze payment_holds`.execute(db));
  });
  const counts = await sql<{ t: string; c: string; h: string }>`select (select count(*) from transactions) t, (select count(*) from cdrs) c, (select count(*) from payment_holds) h`.execute(db);
  console.log(`seeded: ${Number(counts.rows[0]!.t).toLocaleString('en')} transactions, ${Number(counts.rows[0]!.c).toLocaleString('en')} CDRs, ${Number(counts.rows[0]!.h).toLocaleString('en')} holds in ${seed.seconds.toFixed(1)} s`);

  const service = new ReconciliationService({ repo: new SqlReconciliationRepository(db), gateway: null, clock: () => new Date(), log: pino({ level: 'silent' }), holdOverdueMs: 6 * 3600_000 });
  const rssBefore = process.memoryUsage().rss;
  peakRss = rssBefore;
  console.log('reconciling:');
  const all = await timed('every tenant (GET /reconciliation as a platform caller, 10,000 items listed)', () => service.reconcile(ALL_TENANTS, period, { limit: 10_000, offset: 0 }));
  const peakAll = peakRss;
  const one = await timed('one tenant, under row-level security (GET as bench-a)', () => service.reconcile({ tenantId: 'bench-a' }, period, { limit: 10_000, offset: 0 }));
  const daily = await timed('the daily run (every tenant, totals only, summaries stored)', () => service.runDaily(period));
  clearInterval(sampler);

  // Exactly the planted discrepancies, each kind with its own sessions.
  const planted = (cats: readonly string[]) =>
    cats.flatMap((c) => Array.from({ length: P }, (_, k) => `tx-${CATEGORIES.indexOf(c as (typeof CATEGORIES)[number]) * P + k + 1}`)).sort();
  const failures: string[] = [];
  const byKind = (items: readonly Discrepancy[], kind: string) => items.filter((i) => i.kind === kind).map((i) => i.transactionId ?? '').sort();
  for (const [kind, cats] of Object.entries(EXPECTED)) {
    const found = byKind(all.value.items, kind);
    const expected = planted(cats);
    if (JSON.stringify(found) !== JSON.stringify(expected)) failures.push(`${kind}: found ${found.length}, planted ${expected.length}${found.length === expected.length ? ' (other sessions)' : ''}`);
    const count = all.value.totals.byKind[kind as keyof typeof all.value.totals.byKind].count;
    if (count !== expected.length) failures.push(`${kind}: counted ${count}, planted ${expected.length}`);
  }
  const ofA = one.value.items;
  if (ofA.some((i) => i.tenantId !== 'bench-a') || ofA.length !== all.value.items.filter((i) => i.tenantId === 'bench-a').length) failures.push('the tenant view is not exactly its share');
  if (all.value.transactions !== N) failures.push(`examined ${all.value.transactions}, seeded ${N}`);
  const money = Object.fromEntries(Object.entries(all.value.totals.byKind).map(([k, v]) => [k, v.byCurrency.EUR ?? 0]));
  console.log(`found ${all.value.itemCount} discrepancies in ${all.value.transactions.toLocaleString('en')} sessions: ${JSON.stringify(Object.fromEntries(Object.entries(all.value.totals.byKind).map(([k, v]) => [k, v.count])))}`);
  console.log(`money at stake (EUR minor units): ${JSON.stringify(money)}`);
  console.log(`daily run stored ${daily.value?.length ?? 0} summaries (platform + ${(daily.value?.length ?? 1) - 1} tenants)`);
  console.log(`peak RSS of this process: ${mib(peakAll)} during the platform run, ${mib(peakRss)} overall (${mib(rssBefore)} before reconciling)`);
  console.log(failures.length === 0 ? 'CHECK OK: exactly the planted discrepancies, each kind, none of the controls' : `CHECK FAILED:\n  ${failures.join('\n  ')}`);
  printSummary({
    benchmark: 'reconciliation',
    machine,
    sessions: N,
    plantedPerKind: P,
    seedSec: seed.seconds,
    allTenantsSec: all.seconds,
    oneTenantSec: one.seconds,
    dailySec: daily.seconds,
    items: all.value.itemCount,
    peakRssBytes: peakRss,
    rssBeforeBytes: rssBefore,
    rowLevelSecurity: rls,
    ok: failures.length === 0,
  });
  if (failures.length > 0) process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await storage.close();
  await database.drop();
}
