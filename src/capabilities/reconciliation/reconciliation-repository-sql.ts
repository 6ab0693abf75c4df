/**
 * Kysely adapter of the reconciliation port: one SQL for PGlite and PostgreSQL. The ledgers are
 * joined set-based in one statement (reconciliation-scan-sql.ts); the gateway check reads holds in
 * batches and pages; runs are one insert.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { readInScope } from '../../storage/tenant-reads.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import { scopedTenant, type TenantScope } from '../../kernel/tenant-scope.ts';
import type { ReconciliationRunsTable } from '../../storage/tables/reconciliation-tables.ts';
import { sitesKey, type Period } from './reconciliation.ts';
import type { HoldFacts } from './reconciliation-gateway.ts';
import type { LedgerScan, ReconciliationRepository, ReconciliationRun, ScanOptions } from './reconciliation-repository.ts';
import { scanLedgers } from './reconciliation-scan-sql.ts';

const HOLD = { station: 'h.station_id', tenant: 'h.tenant_id' };

/** Whether a hold belongs to the period: its session stopped in it, or, without a session, it was placed in it. */
const inPeriod = (period: Period) =>
  sql<boolean>`((t.state = 'completed' and t.stopped_at >= ${period.from} and t.stopped_at < ${period.to}) or (h.transaction_id is null and h.created_at >= ${period.from} and h.created_at < ${period.to}))`;

interface HoldRow {
  id: string;
  tenant_id: string;
  station_id: string;
  transaction_id: string | null;
  state: string;
  currency: string;
  capture_minor: string | number | null;
  gateway_ref: string | null;
  stopped_at: Date | string | null;
  in_period: boolean;
}

function toHold(row: HoldRow): HoldFacts {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    stationId: row.station_id,
    transactionId: row.transaction_id,
    state: row.state,
    currency: row.currency,
    captureMinor: row.capture_minor === null ? null : Number(row.capture_minor),
    gatewayRef: row.gateway_ref,
    stoppedAt: asDate(row.stopped_at),
    inPeriod: row.in_period,
  };
}

const holdColumns = (period: Period) =>
  sql`h.id, h.tenant_id, h.station_id, h.transaction_id, h.state, h.currency, h.capture_minor, h.gateway_ref,
      case when t.state = 'completed' then t.stopped_at end as stopped_at, ${inPeriod(period)} as in_period`;

function toRun(row: Selectable<ReconciliationRunsTable>): ReconciliationRun {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    siteIds: (row.site_ids as string[] | null) ?? null,
    period: { from: asDate(row.period_from) as Date, to: asDate(row.period_to) as Date },
    trigger: row.trigger as ReconciliationRun['trigger'],
    gatewayChecked: row.gateway_checked,
    transactions: row.transactions,
    items: row.items,
    counts: row.counts as ReconciliationRun['counts'],
    atStake: row.at_stake as ReconciliationRun['atStake'],
    tookMs: row.took_ms,
    createdAt: asDate(row.created_at) as Date,
  };
}

export class SqlReconciliationRepository implements ReconciliationRepository {
  constructor(private readonly db: Database) {}

  scan(scope: TenantScope, period: Period, options: ScanOptions): Promise<LedgerScan> {
    return readInScope(this.db, scope, (db) => scanLedgers(db, scope, period, options));
  }

  oldestHold(scope: TenantScope, period: Period): Promise<Date | null> {
    return readInScope(this.db, scope, async (db) => {
      const { rows } = await sql<{ at: Date | string | null }>`
        select min(h.created_at) as at from payment_holds h left join transactions t on t.id = h.transaction_id
        where ${inScope(HOLD, scope)} and ${inPeriod(period)}`.execute(db);
      return asDate(rows[0]?.at ?? null);
    });
  }

  holdsFor(scope: TenantScope, period: Period, refs: readonly string[], ids: readonly string[]): Promise<HoldFacts[]> {
    if (refs.length === 0 && ids.length === 0) return Promise.resolve([]);
    const named = [...(refs.length ? [sql`h.gateway_ref in (${sql.join(refs)})`] : []), ...(ids.length ? [sql`h.id in (${sql.join(ids)})`] : [])];
    return readInScope(this.db, scope, async (db) => {
      const { rows } = await sql<HoldRow>`
        select ${holdColumns(period)} from payment_holds h left join transactions t on t.id = h.transaction_id
        where (${sql.join(named, sql` or `)}) and ${inScope(HOLD, scope)}`.execute(db);
      return rows.map(toHold);
    });
  }

  capturedHolds(scope: TenantScope, period: Period, afterId: string | null, limit: number): Promise<HoldFacts[]> {
    return readInScope(this.db, scope, async (db) => {
      const { rows } = await sql<HoldRow>`
        select ${holdColumns(period)} from payment_holds h left join transactions t on t.id = h.transaction_id
        where h.state = 'captured' and ${inScope(HOLD, scope)} and ${inPeriod(period)} ${afterId === null ? sql`` : sql`and h.id > ${afterId}`}
        order by h.id limit ${limit}`.execute(db);
      return rows.map(toHold);
    });
  }

  capturedCounts(scope: TenantScope, transactionIds: readonly string[]): Promise<Map<string, number>> {
    if (transactionIds.length === 0) return Promise.resolve(new Map());
    return readInScope(this.db, scope, async (db) => {
      const { rows } = await sql<{ transaction_id: string; n: string | number }>`
        select h.transaction_id, count(*) as n from payment_holds h
        where h.state = 'captured' and h.transaction_id in (${sql.join(transactionIds)}) and ${inScope(HOLD, scope)}
        group by h.transaction_id`.execute(db);
      return new Map(rows.map((row) => [row.transaction_id, Number(row.n)]));
    });
  }

  async tenants(): Promise<string[]> {
    return (await this.db.selectFrom('tenants').select('id').orderBy('id').execute()).map((row) => row.id);
  }

  async saveRuns(runs: readonly ReconciliationRun[]): Promise<void> {
    if (runs.length === 0) return;
    await this.db
      .insertInto('reconciliation_runs')
      .values(
        runs.map((r) => ({
          id: r.id || randomUUID(),
          tenant_id: r.tenantId,
          site_ids: r.siteIds ? JSON.stringify(r.siteIds) : null,
          period_from: r.period.from,
          period_to: r.period.to,
          trigger: r.trigger,
          gateway_checked: r.gatewayChecked,
          transactions: r.transactions,
          items: r.items,
          counts: JSON.stringify(r.counts),
          at_stake: JSON.stringify(r.atStake),
          took_ms: r.tookMs,
          created_at: r.createdAt,
        })),
      )
      // The daily run of a tenant and day is stored once (another node, or a restart, ran it too).
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async hasDailyRun(period: Period): Promise<boolean> {
    const row = await this.db
      .selectFrom('reconciliation_runs')
      .select('id')
      .where('trigger', '=', 'daily')
      .where('period_from', '=', period.from)
      .where('period_to', '=', period.to)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  listRuns(scope: TenantScope, page: { limit: number; offset: number }): Promise<{ items: ReconciliationRun[]; total: number }> {
    return readInScope(this.db, scope, async (db) => {
      const tenantId = scopedTenant(scope);
      const sites = sitesKey(scope);
      let query = db.selectFrom('reconciliation_runs');
      if (tenantId !== null) query = query.where('tenant_id', '=', tenantId);
      // A caller limited to sites sees the runs made for exactly its sites (a tenant's summary covers the others too).
      if (sites) query = query.where(sql<boolean>`site_ids = ${JSON.stringify(sites)}::jsonb`);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toRun), total: Number(count.n) };
    });
  }
}
