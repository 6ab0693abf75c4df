import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('password_hash', 'text')
    .addColumn('security_profile', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('site_id', 'text')
    .addColumn('labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('registration_status', 'text', (c) => c.notNull().defaultTo('Accepted'))
    .addColumn('ocpp_version', 'text')
    .addColumn('vendor', 'text')
    .addColumn('model', 'text')
    .addColumn('serial_number', 'text')
    .addColumn('firmware_version', 'text')
    .addColumn('iccid', 'text')
    .addColumn('imsi', 'text')
    .addColumn('last_boot_at', 'timestamptz')
    .addColumn('last_boot_reason', 'text')
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('connected_at', 'timestamptz')
    .addColumn('disconnected_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stations_site_idx').on('stations').column('site_id').execute();

  await db.schema
    .createTable('station_connectors')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('evse_id', 'integer', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ocpp_status', 'text')
    .addColumn('error_code', 'text')
    .addColumn('info', 'text')
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('station_connectors_pk', ['station_id', 'evse_id', 'connector_id'])
    .execute();

  await db.schema
    .createTable('station_status_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('evse_id', 'integer', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ocpp_status', 'text')
    .addColumn('error_code', 'text')
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('station_status_history_station_idx')
    .on('station_status_history')
    .columns(['station_id', 'received_at'])
    .execute();

  await db.schema
    .createTable('station_connection_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('ocpp_version', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('station_connection_events_station_idx')
    .on('station_connection_events')
    .columns(['station_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['station_connection_events', 'station_status_history', 'station_connectors', 'stations']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
