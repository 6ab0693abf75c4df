import { sql, type Kysely } from 'kysely';

/**
 * Issue 14: reservations (src/capabilities/reservations). The CSMS assigns the OCPP reservation id
 * (an integer) from its own sequence, so ids are unique across stations and nodes. A reservation is
 * deleted with its station: a station id registered again later must not inherit its reservations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence reservation_ids as integer start with 1`.execute(db);
  await db.schema
    .createTable('reservations')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('evse_id', 'integer')
    .addColumn('connector_type', 'text')
    .addColumn('id_token', 'text', (c) => c.notNull())
    .addColumn('id_token_type', 'text')
    .addColumn('group_id_token', 'text')
    .addColumn('group_id_token_type', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('command_id', 'text')
    .addColumn('transaction_id', 'text')
    .addColumn('violations', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('reservations_station_idx').on('reservations').columns(['station_id', 'created_at']).execute();
  // The expiry sweep and the per-station checks read only reservations still open.
  await sql`create index reservations_open_idx on reservations (expires_at) where state in ('requested', 'active')`.execute(db);
  await sql`create index reservations_open_station_idx on reservations (station_id) where state in ('requested', 'active')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reservations').ifExists().execute();
  await sql`drop sequence if exists reservation_ids`.execute(db);
}
