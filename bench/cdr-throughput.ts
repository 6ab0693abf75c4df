/**
 * CDR throughput (issue 15): closed transactions turned into stored CDRs per second, end to end -
 * read the transaction and its samples, pin its tariff, price it with the cost engine, write the
 * CDR - as the books sweep does after a restart (`BillingService.sweep`). Each session has a
 * sample every 15 minutes for 25 hours crossing a 22 kW power band at every sample under a
 * four-window time-of-day tariff: about 100 periods per CDR (the "100-period sessions").
 *
 * The transactions and samples are seeded with set-based SQL (not through OCPP: this measures
 * billing, not ingest), in an in-process server on PGlite or, with --postgres, a throw-away
 * PostgreSQL database.
 *
 *   npx tsx bench/cdr-throughput.ts [N] [--postgres]
 */
import { sql } from 'kysely';
import { startChargebridge } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { mib, printMachine, printSummary, tempDir, throwAwayPostgres } from './common.ts';

const positional = process.argv.slice(2).find((a, i, all) => /^\d+$/.test(a) && !all[i - 1]?.startsWith('--'));
const total = Number(positional ?? 500);
const usePostgres = process.argv.includes('--postgres');

const machine = await printMachine(`cdr-throughput (${usePostgres ? 'PostgreSQL' : 'embedded PGlite'})`);
const database = usePostgres ? await throwAwayPostgres(process.env.CHARGEBRIDGE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres') : null;
const config = loadConfig({ CHARGEBRIDGE_DATA_DIR: tempDir('chargebridge-cdr-bench-'), ...(database ? { DATABASE_URL: database.url } : {}) }, {
  host: '127.0.0.1',
  port: 0,
  logLevel: 'warn',
  adminToken: 'bench-admin-token-0123456789',
  stuck: { enabled: false },
  // The sweep is called by hand below.
  billing: { booksSweepIntervalSec: 86_400, defaultTimeZone: 'Europe/Amsterdam', costUpdateIntervalSec: 0 },
} as never);
const app = await startChargebridge(config);
const api = (method: string, path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${app.port}/api/v1${path}`, { method, headers: { 'content-type': 'application/json', authorization: 'Bearer bench-admin-token-0123456789' }, body: JSON.stringify(body) });

try {
  const window = (start: string, end: string, energy: number, time: number) => ({ price_components: [{ type: 'ENERGY', price: energy, vat: 21, step_size: 1 }, { type: 'TIME', price: time, vat: 21, step_size: 60 }], restrictions: { start_time: start, end_time: end } });
  const tariff = {
    id: 'BENCH-TOU',
    currency: 'EUR',
    elements: [
      { price_components: [{ type: 'FLAT', price: 0.5, vat: 21, step_size: 1 }] },
      { price_components: [{ type: 'ENERGY', price: 0.65, vat: 21, step_size: 1 }], restrictions: { min_power: 22 } },
      window('00:00', '06:00', 0.25, 0.5),
      window('06:00', '12:00', 0.35, 1),
      window('12:00', '18:00', 0.4, 1.2),
      window('18:00', '00:00', 0.3, 0.8),
    ],
  };
  for (const [path, body] of [['/stations', { id: 'CDR-BENCH', siteId: 'CDR-SITE' }], ['/tariffs', tariff], ['/tariff-assignments', { tariffId: 'BENCH-TOU', siteId: 'CDR-SITE' }]] as const) {
    const response = await api('POST', path, body);
    if (response.status !== 201) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  }
  const seedStart = performance.now();
  // After the assignment was made (a session is priced by what was in force when it started): tomorrow 20:00 UTC.
  const start = Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 20 * 3600_000;
  // 25 h sessions, one sample every 15 min (101 samples), power alternating 11 / 30 kW (across the 22 kW band).
  await sql`
    insert into transactions (id, station_id, tenant_id, ocpp_version, ocpp_transaction_id, evse_id, connector_id, id_token, state,
      started_at, stopped_at, meter_start_wh, meter_stop_wh, last_meter_wh, highest_meter_wh, offline, flags, seq_no_count, last_event_at, created_at, updated_at, version)
    select 'cdr-bench-' || g, 'CDR-BENCH', 'default', '1.6', g::text, 1, 1, 'BENCH-TAG', 'completed',
      ${new Date(start)}::timestamptz + g * interval '1 minute', ${new Date(start)}::timestamptz + g * interval '1 minute' + interval '25 hours',
      0, 90 * 5125, 90 * 5125, 90 * 5125, false, '[]', 0, now(), now(), now(), 1
    from generate_series(1, ${total}) g`.execute(app.storage.db);
  await sql`
    insert into transaction_meter_values (transaction_id, sampled_at, measurand, phase, location, context, value, unit)
    select 'cdr-bench-' || g, ${new Date(start)}::timestamptz + g * interval '1 minute' + i * interval '15 minutes', m.measurand, null, null, 'Sample.Periodic',
      case when m.measurand = 'Energy.Active.Import.Register' then least(i, 90) * 5125 else case when i >= 90 then 0 when i % 2 = 0 then 11000 else 30000 end end,
      case when m.measurand = 'Energy.Active.Import.Register' then 'Wh' else 'W' end
    from generate_series(1, ${total}) g, generate_series(0, 100) i, (values ('Energy.Active.Import.Register'), ('Power.Active.Import')) m(measurand)`.execute(app.storage.db);
  const seedSec = (performance.now() - seedStart) / 1000;
  console.log(`seeded ${total} closed transactions with ${total * 202} samples in ${seedSec.toFixed(1)} s`);

  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const t0 = performance.now();
  const closed = await app.billing.service.sweep(null);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const page = await app.billing.service.listCdrs({ scope: { all: true }, limit: 1, offset: 0, stationId: 'CDR-BENCH' });
  const periods = page.items[0]?.periods.length ?? 0;
  if (page.total !== total) throw new Error(`expected ${total} CDRs, found ${page.total}`);
  console.log(`${closed} CDRs written in ${seconds.toFixed(2)} s: ${(closed / seconds).toFixed(0)} CDRs/s, ${periods} periods each, peak RSS ${mib(peakRss)} (+${mib(peakRss - rssBefore)})`);
  printSummary({ bench: 'cdr-throughput', machine, storage: usePostgres ? 'postgres' : 'pglite', cdrs: closed, periods, seconds: Number(seconds.toFixed(2)), cdrsPerSec: Math.round(closed / seconds), peakRssMiB: Math.round(peakRss / 2 ** 20) });
} finally {
  await app.stop();
  await database?.drop();
}
