import { sql, type Kysely } from 'kysely';
import { addTenantRowPolicy } from '../tenant-row-policy.ts';

/**
 * Issue 14: configuration templates (the settings an operator wants per tenant, site, vendor and
 * model) and each station's latest reconciliation against them (one row per station, replaced at
 * every boot; its items say per key what was found and done), and the stations whose mapped 1.6
 * settings were written after they moved to 2.x.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('config_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text')
    .addColumn('vendor', 'text')
    .addColumn('model', 'text')
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index config_templates_tenant_idx on config_templates (tenant_id)`.execute(db);

  await db.schema
    .createTable('config_reconciliations')
    .addColumn('station_id', 'text', (c) => c.primaryKey().references('stations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('settled_at', 'timestamptz')
    .addColumn('items', 'jsonb', (c) => c.notNull())
    // The items' counts, kept beside them so the network report is one aggregate, not a read of every item.
    .addColumn('drifted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_fixed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`create index config_reconciliations_tenant_idx on config_reconciliations (tenant_id)`.execute(db);
  // A station moved from 1.6 to 2.x gets its mapped 1.6 settings once (docs/migrating-16-to-201.md).
  await db.schema
    .createTable('station_migrations')
    .addColumn('station_id', 'text', (c) => c.primaryKey().references('stations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'timestamptz', (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .execute();
  // The network-wide drift report is a scoped read (ADR 20).
  await addTenantRowPolicy(db, 'config_reconciliations');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('station_migrations').ifExists().execute();
  await db.schema.dropTable('config_reconciliations').ifExists().execute();
  await db.schema.dropTable('config_templates').ifExists().execute();
}
