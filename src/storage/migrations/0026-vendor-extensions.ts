import { sql, type Kysely } from 'kysely';

/**
 * Issue 14: vendor extensions. `vendor_profiles` holds each tenant's declarative profiles, the
 * document kept as the JSON text it was uploaded as (so an export gives it back key for key);
 * `vendor_data_transfers` keeps every inbound DataTransfer raw, with the answer given and, when the
 * payload failed its profile, the problems found; `vendor_metrics` and `vendor_events` hold what a
 * profile turned a payload into, each pointing back at the raw message. Raw payloads are JSON text,
 * not jsonb: a station may send "\u0000" in a string, which jsonb refuses. Station rows go with
 * their station; every row carries its tenant (ADR 20).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vendor_profiles')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('vendor_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('vendor_profiles_pk', ['tenant_id', 'id'])
    .execute();
  await sql`create index vendor_profiles_vendor_idx on vendor_profiles (tenant_id, lower(vendor_id))`.execute(db);

  await db.schema
    .createTable('vendor_data_transfers')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('vendor_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text')
    .addColumn('flagged', 'boolean', (c) => c.notNull())
    .addColumn('problems', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index vendor_data_transfers_station_idx on vendor_data_transfers (station_id, id desc)`.execute(db);

  await db.schema
    .createTable('vendor_metrics')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('transfer_id', 'bigint')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .execute();
  await sql`create index vendor_metrics_station_idx on vendor_metrics (station_id, name, at desc)`.execute(db);

  await db.schema
    .createTable('vendor_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('problem', 'boolean', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('transfer_id', 'bigint')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .execute();
  await sql`create index vendor_events_station_idx on vendor_events (station_id, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['vendor_events', 'vendor_metrics', 'vendor_data_transfers', 'vendor_profiles']) await db.schema.dropTable(table).ifExists().execute();
}
