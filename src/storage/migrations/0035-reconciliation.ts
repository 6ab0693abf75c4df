import { sql, type Kysely } from 'kysely';
import { addTenantRowPolicy } from '../tenant-row-policy.ts';

/**
 * Issue 15, three-way reconciliation: the summary of each run (what was examined, how many
 * discrepancies of each kind, the money at stake per kind and currency). The discrepancies
 * themselves are not stored: they are recomputed from the ledgers on demand
 * (GET /api/v1/reconciliation), so a fixed one disappears instead of going stale.
 * - tenant_id null: a platform-wide run (every tenant, and gateway records no tenant owns);
 * - site_ids: the sites an on-demand run was limited to (a caller limited to sites), else null;
 * - a daily run is stored once per tenant and period: the unique index makes a second node's (or
 *   a restarted node's) run of the same day write nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reconciliation_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('site_ids', 'jsonb')
    .addColumn('period_from', 'timestamptz', (c) => c.notNull())
    .addColumn('period_to', 'timestamptz', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('gateway_checked', 'boolean', (c) => c.notNull())
    .addColumn('transactions', 'integer', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    .addColumn('counts', 'jsonb', (c) => c.notNull())
    .addColumn('at_stake', 'jsonb', (c) => c.notNull())
    .addColumn('took_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index reconciliation_runs_tenant_idx on reconciliation_runs (tenant_id, created_at desc)`.execute(db);
  await sql`create unique index reconciliation_runs_daily_idx on reconciliation_runs (period_from, period_to, coalesce(tenant_id, '')) where trigger = 'daily'`.execute(db);
  await addTenantRowPolicy(db, 'reconciliation_runs');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reconciliation_runs').ifExists().execute();
}
