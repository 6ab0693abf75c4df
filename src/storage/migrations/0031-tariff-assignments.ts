import { sql, type Kysely } from 'kysely';
import { addTenantRowPolicy } from '../tenant-row-policy.ts';

/**
 * Issue 15: tariff assignments with their history. A tariff is assigned to the tenant, a site, a
 * station, an EVSE or a connector, optionally for one token group; rows are only ever added (a
 * change or removal is a new row valid from then), so the tariff a past session started under is
 * still findable. The single station assignment of 0030 becomes the first rows of this history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tariff_assignments')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('site_id', 'text')
    .addColumn('station_id', 'text')
    .addColumn('evse_id', 'integer')
    .addColumn('connector_id', 'integer')
    .addColumn('token_group', 'text')
    .addColumn('tariff_id', 'text', (c) => c.references('tariffs.id'))
    .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index tariff_assignments_tenant_idx on tariff_assignments (tenant_id, valid_from)`.execute(db);
  await sql`create index tariff_assignments_station_idx on tariff_assignments (station_id) where station_id is not null`.execute(db);
  await sql`insert into tariff_assignments (tenant_id, station_id, tariff_id, valid_from, created_at)
    select tenant_id, station_id, tariff_id, assigned_at, assigned_at from station_tariffs`.execute(db);
  await db.schema.dropTable('station_tariffs').execute();
  await addTenantRowPolicy(db, 'tariff_assignments');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('station_tariffs')
    .addColumn('station_id', 'text', (c) => c.primaryKey().references('stations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('tariff_id', 'text', (c) => c.notNull().references('tariffs.id'))
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.dropTable('tariff_assignments').ifExists().execute();
}
