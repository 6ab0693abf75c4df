/**
 * The ledgers' join in one statement, set-based: the period's completed transactions (metering),
 * the CDR in force of each (billing), its holds (capture), and the open holds. Each kind of
 * discrepancy is one branch of a union; the database counts them all (per tenant, kind and
 * currency) and hands back one page, so memory follows the page, not the period.
 *
 * The CTEs are materialized: each is read by several branches and computed once. The CDR in force is
 * chosen by one sort of the period's sessions (DISTINCT ON), not per session.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../../storage/database.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { asDate } from '../../storage/as-date.ts';
import { DISCREPANCY_KINDS, FINAL_HOLD_STATES, type Discrepancy, type DiscrepancyKind, type Period } from './reconciliation.ts';
import type { LedgerScan, ScanOptions } from './reconciliation-repository.ts';

interface ItemJson {
  kind: DiscrepancyKind;
  tenant_id: string | null;
  transaction_id: string | null;
  hold_id: string | null;
  cdr_id: string | null;
  station_id: string | null;
  stopped_at: string | null;
  currency: string | null;
  amount_minor: number | string;
  amount_known: boolean;
  facts: Record<string, unknown>;
}

interface ScanRow {
  totals: Array<{ tenant_id: string | null; kind: DiscrepancyKind; currency: string | null; count: number; amount_minor: number | string }>;
  items: ItemJson[];
  examined: Array<{ tenant_id: string; transactions: number }>;
}

/** Times inside the facts come as the database prints them; items carry ISO text. */
function isoFacts(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...facts };
  for (const key of ['endedAt', 'createdAt']) if (typeof out[key] === 'string') out[key] = new Date(out[key] as string).toISOString();
  return out;
}

function toItem(row: ItemJson): Discrepancy {
  return {
    kind: row.kind,
    tenantId: row.tenant_id,
    transactionId: row.transaction_id,
    holdId: row.hold_id,
    cdrId: row.cdr_id,
    stationId: row.station_id,
    stoppedAt: asDate(row.stopped_at),
    currency: row.currency,
    amountMinor: Number(row.amount_minor),
    amountKnown: row.amount_known,
    facts: isoFacts(row.facts),
  };
}

/** Energy by the meter, exact to the mWh: the stop reading (or the last one) less the start. */
const METERED = sql`round((coalesce(t.meter_stop_wh, t.last_meter_wh) - t.meter_start_wh)::numeric, 3)`;
/** Components other than energy: a CDR priced by one of them bills a session that took no energy. */
const NOT_ENERGY = sql`array['TIME', 'PARKING_TIME', 'FLAT']`;

function discrepancies(scope: TenantScope, period: Period, overdueBefore: Date): RawBuilder<unknown> {
  const { from, to } = period;
  const finals = sql.join(FINAL_HOLD_STATES.map((s) => sql.lit(s)));
  const order = sql`array[${sql.join(DISCREPANCY_KINDS.map((k) => sql.lit(k)))}]::text[]`;
  return sql`
    ledger as materialized (
      -- One row per completed session of the period: its metering and the CDR in force (the latest debit no credit
      -- cancels: a correction adds a credit and a new debit) side by side, joined once; the branches below only filter.
      select distinct on (t.id) t.id, t.tenant_id, t.station_id, t.stopped_at, d.id as cdr_id, d.currency as cdr_currency,
             d.total_incl_tax_minor as owed, coalesce(${METERED}, d.energy_wh::numeric) as delivered_wh
      from transactions t
      left join (
        select c.id, c.transaction_id, c.sequence, c.currency, c.total_incl_tax_minor, c.energy_wh from cdrs c
        where c.kind = 'debit' and not exists (select 1 from cdrs k where k.transaction_id = c.transaction_id and k.kind = 'credit' and k.corrects = c.id)
      ) d on d.transaction_id = t.id
      where t.state = 'completed' and t.stopped_at >= ${from} and t.stopped_at < ${to}
        and ${inScope({ station: 't.station_id', tenant: 't.tenant_id' }, scope)}
      order by t.id, d.sequence desc nulls last
    ),
    held as materialized (
      select h.id, h.tenant_id, h.station_id, h.transaction_id, h.state, h.currency, h.capture_minor, h.shortfall_minor,
             l.stopped_at, l.cdr_id, l.cdr_currency, l.owed
      from payment_holds h join ledger l on l.id = h.transaction_id
      where ${inScope({ station: 'h.station_id', tenant: 'h.tenant_id' }, scope)}
    ),
    found as materialized (
      select 'delivered-not-billed'::text as kind, l.tenant_id, l.id as transaction_id, null::text as hold_id, l.cdr_id, l.station_id,
             l.stopped_at, null::text as currency, 0::bigint as amount_minor, false as amount_known,
             jsonb_build_object('reason', case when l.cdr_id is null then 'no-cdr' else 'no-tariff' end, 'energyWh', l.delivered_wh) as facts
      from ledger l
      where (l.cdr_id is null or l.owed is null) and l.delivered_wh > 0
      union all
      select 'billed-not-delivered', l.tenant_id, l.id, null, l.cdr_id, l.station_id, l.stopped_at, l.cdr_currency, l.owed, true,
             jsonb_build_object('reason', 'no-energy', 'energyWh', l.delivered_wh)
      from ledger l
      where l.owed > 0 and l.delivered_wh <= 0
        -- A scalar subquery, so the few candidate CDRs are read by their key (an EXISTS would hash every CDR's periods).
        and not (select coalesce(bool_or((p -> 'elements') ?| ${NOT_ENERGY}), false) from cdrs c cross join lateral jsonb_array_elements(c.periods) p where c.id = l.cdr_id)
      union all
      -- A CDR of the period whose transaction is not a completed one (it cannot be examined from the metering side).
      select 'billed-not-delivered', c.tenant_id, c.transaction_id, null, c.id, c.station_id, c.stopped_at, c.currency, c.total_incl_tax_minor, true,
             jsonb_build_object('reason', case when t.id is null then 'no-transaction' else 'transaction-open' end, 'energyWh', c.energy_wh::numeric)
      from cdrs c left join transactions t on t.id = c.transaction_id
      where c.kind = 'debit' and c.stopped_at >= ${from} and c.stopped_at < ${to} and c.total_incl_tax_minor > 0
        and (t.id is null or t.state <> 'completed')
        and not exists (select 1 from cdrs k where k.transaction_id = c.transaction_id and k.kind = 'credit' and k.corrects = c.id)
        and ${inScope({ station: 'c.station_id', tenant: 'c.tenant_id' }, scope)}
      union all
      -- Not bounded by the period's start: a hold left open is listed by every run until it is released.
      select 'hold-never-released', h.tenant_id, h.transaction_id, h.id, null, h.station_id, t.stopped_at, h.currency, h.authorized_minor, true,
             jsonb_build_object('state', h.state, 'endedAt', case when t.state = 'completed' then t.stopped_at end, 'createdAt', h.created_at)
      from payment_holds h left join transactions t on t.id = h.transaction_id
      where h.state not in (${finals}) and ${inScope({ station: 'h.station_id', tenant: 'h.tenant_id' }, scope)}
        and coalesce(case when t.state = 'completed' then t.stopped_at end, case when t.id is null then h.created_at end) < ${overdueBefore}
      union all
      select 'capture-mismatch', h.tenant_id, h.transaction_id, h.id, h.cdr_id, h.station_id, h.stopped_at, h.currency,
             case when h.cdr_currency is not null and h.cdr_currency <> h.currency then coalesce(h.capture_minor, 0) + h.shortfall_minor
                  else abs(coalesce(h.owed, 0) - (coalesce(h.capture_minor, 0) + h.shortfall_minor)) end, true,
             jsonb_build_object('captureMinor', h.capture_minor, 'shortfallMinor', h.shortfall_minor, 'owedMinor', h.owed, 'cdrCurrency', h.cdr_currency, 'hasCdr', h.cdr_id is not null)
      from held h
      where h.state = 'captured'
        and ((h.cdr_currency is not null and h.cdr_currency <> h.currency) or coalesce(h.owed, 0) <> coalesce(h.capture_minor, 0) + h.shortfall_minor)
      union all
      select 'uncollected', h.tenant_id, h.transaction_id, h.id, null, h.station_id, h.stopped_at, h.currency, h.shortfall_minor, true,
             jsonb_build_object('state', h.state, 'shortfallMinor', h.shortfall_minor)
      from held h where h.shortfall_minor > 0
      union all
      select 'duplicate-capture', min(h.tenant_id), h.transaction_id, min(h.id), null, min(h.station_id), min(h.stopped_at), min(h.currency),
             (sum(coalesce(h.capture_minor, 0)) - max(coalesce(h.capture_minor, 0)))::bigint, true,
             jsonb_build_object('source', 'holds', 'captures', count(*), 'holds', jsonb_agg(h.id order by h.id), 'capturedMinor', sum(coalesce(h.capture_minor, 0)))
      from held h
      where h.state = 'captured'
        -- Counted first (cheap), so the facts are built for the few sessions captured more than once only.
        and h.transaction_id in (select transaction_id from held where state = 'captured' group by transaction_id having count(*) > 1)
      group by h.transaction_id
    ),
    ranked as materialized (
      select f.*, array_position(${order}, f.kind) as ord from found f
    )`;
}

export async function scanLedgers(db: Database, scope: TenantScope, period: Period, options: ScanOptions): Promise<LedgerScan> {
  if (!db.isTransaction) return db.transaction().execute((trx) => scanLedgers(trx, scope, period, options));
  // A one-off statement over the whole period: PostgreSQL would JIT-compile it (seconds spent, nothing saved), and its
  // one sort and few hashes of a million rows fit in 64 MB instead of spilling to disk at the default 4 MB.
  await sql`set local jit = off`.execute(db);
  await sql`set local work_mem = '64MB'`.execute(db);
  const { rows } = await sql<ScanRow>`
    with ${discrepancies(scope, period, options.overdueBefore)}
    select
      (select coalesce(jsonb_agg(x), '[]'::jsonb) from (
         select tenant_id, kind, currency, count(*)::int as count, sum(amount_minor)::bigint as amount_minor from ranked group by tenant_id, kind, currency
       ) x) as totals,
      (select coalesce(jsonb_agg(to_jsonb(p) - 'ord' order by p.ord, p.stopped_at, p.transaction_id, p.hold_id), '[]'::jsonb) from (
         select * from ranked order by ord, stopped_at, transaction_id, hold_id limit ${options.limit} offset ${options.offset}
       ) p) as items,
      (select coalesce(jsonb_agg(e), '[]'::jsonb) from (select tenant_id, count(*)::int as transactions from ledger group by tenant_id) e) as examined`.execute(db);
  const row = rows[0] as ScanRow;
  return {
    totals: row.totals.map((t) => ({ tenantId: t.tenant_id, kind: t.kind, currency: t.currency, count: t.count, amountMinor: Number(t.amount_minor) })),
    items: row.items.map(toItem),
    examined: row.examined.map((e) => ({ tenantId: e.tenant_id, transactions: e.transactions })),
  };
}
