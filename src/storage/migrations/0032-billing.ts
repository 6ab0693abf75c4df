import { sql, type Kysely } from 'kysely';
import { addTenantRowPolicy } from '../tenant-row-policy.ts';

/**
 * Issue 15: pricing attached to transactions, and CDRs.
 * - billing_settings: per tenant (site_id '') and per site, the IANA time zone a tariff's
 *   wall-clock restrictions are read in;
 * - transaction_pricing: the tariff (and version, and assignment) a transaction is priced by,
 *   pinned the first time it is priced, so the choice is made once; and the transaction version
 *   its books were last closed at (a later write - a real stop after an estimate - reopens them);
 * - cdrs: immutable charge detail records. A correction never updates a row: it adds a credit
 *   (the earlier record negated) and a new debit, numbered per transaction (`sequence`), so two
 *   nodes closing the same books cannot both write.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('billing_settings')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_settings_pk', ['tenant_id', 'site_id'])
    .execute();
  await db.schema
    .createTable('transaction_pricing')
    .addColumn('transaction_id', 'text', (c) => c.primaryKey().references('transactions.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('tariff_id', 'text')
    .addColumn('tariff_version', 'integer')
    .addColumn('assignment_id', 'integer')
    .addColumn('token_group', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('pinned_at', 'timestamptz', (c) => c.notNull())
    .addColumn('billed_version', 'integer')
    .execute();
  // The books sweep looks for closed transactions by their stop; stopped_at does not change while a
  // session's meter values are written, so this index costs the hot path nothing (HOT updates stay).
  await sql`create index transactions_stopped_idx on transactions (stopped_at) where state = 'completed'`.execute(db);
  await db.schema
    .createTable('cdrs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('transactions.id'))
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('corrects', 'text')
    .addColumn('transaction_version', 'integer', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer')
    .addColumn('connector_id', 'integer')
    .addColumn('id_token', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('stopped_at', 'timestamptz', (c) => c.notNull())
    .addColumn('energy_wh', 'text', (c) => c.notNull())
    .addColumn('currency', 'text')
    .addColumn('tariff_id', 'text')
    .addColumn('tariff_version', 'integer')
    .addColumn('total_excl_tax', 'text')
    .addColumn('total_incl_tax', 'text')
    .addColumn('total_excl_tax_minor', 'bigint')
    .addColumn('total_incl_tax_minor', 'bigint')
    .addColumn('periods', 'jsonb', (c) => c.notNull())
    .addColumn('meter', 'jsonb', (c) => c.notNull())
    .addColumn('estimated', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('cdrs_transaction_sequence', ['transaction_id', 'sequence'])
    .execute();
  await sql`create index cdrs_station_idx on cdrs (station_id, stopped_at)`.execute(db);
  await sql`create index cdrs_tenant_idx on cdrs (tenant_id, stopped_at)`.execute(db);
  await addTenantRowPolicy(db, 'cdrs');
  await addTenantRowPolicy(db, 'billing_settings');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cdrs').ifExists().execute();
  await db.schema.dropTable('transaction_pricing').ifExists().execute();
  await sql`drop index if exists transactions_stopped_idx`.execute(db);
  await db.schema.dropTable('billing_settings').ifExists().execute();
}
