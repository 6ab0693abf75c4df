import { sql, type Kysely } from 'kysely';
import { addTenantRowPolicy } from '../tenant-row-policy.ts';

/**
 * Issue 15: tariffs, versioned. A tariff's content is never changed in place: a change is a new
 * version valid from the moment it was made, so a session is priced by the version in force when it
 * started and a change is never retroactive. A station is assigned one tariff (more specific
 * assignments, per EVSE and token group, come with the rest of the issue).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tariffs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index tariffs_tenant_idx on tariffs (tenant_id)`.execute(db);
  await db.schema
    .createTable('tariff_versions')
    .addColumn('tariff_id', 'text', (c) => c.notNull().references('tariffs.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
    .addColumn('tariff', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('tariff_versions_pk', ['tariff_id', 'version'])
    .execute();
  await db.schema
    .createTable('station_tariffs')
    .addColumn('station_id', 'text', (c) => c.primaryKey().references('stations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('tariff_id', 'text', (c) => c.notNull().references('tariffs.id'))
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await addTenantRowPolicy(db, 'tariffs');
  await addTenantRowPolicy(db, 'tariff_versions');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('station_tariffs').ifExists().execute();
  await db.schema.dropTable('tariff_versions').ifExists().execute();
  await db.schema.dropTable('tariffs').ifExists().execute();
}
