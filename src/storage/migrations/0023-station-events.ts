import { sql, type Kysely } from 'kysely';
import { addTenantRowPolicy } from '../tenant-row-policy.ts';

/**
 * Issue 14: what stations report outside transactions. `station_events` keeps every security,
 * device, firmware, log, certificate and charging-limit event with the station's own detail;
 * `station_problems` holds the faults currently raised (one row per faulty thing, deleted when
 * cleared); `station_meter_values` keeps meter values sent outside transactions (site meters,
 * idle consumption). Rows carry their tenant (ADR 20) and go with their station.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('station_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('problem', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('cleared', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('evse_id', 'integer')
    .addColumn('connector_id', 'integer')
    .addColumn('device', 'jsonb')
    .addColumn('request_id', 'integer')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull())
    .execute();
  await sql`create index station_events_station_idx on station_events (station_id, id desc)`.execute(db);
  await sql`create index station_events_kind_idx on station_events (station_id, kind, id desc)`.execute(db);

  await db.schema
    .createTable('station_problems')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer')
    .addColumn('connector_id', 'integer')
    .addColumn('device', 'jsonb')
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addColumn('event_id', 'bigint', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('status_before', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addPrimaryKeyConstraint('station_problems_pk', ['station_id', 'key'])
    .execute();
  await sql`create index station_problems_tenant_idx on station_problems (tenant_id, since)`.execute(db);

  await db.schema
    .createTable('station_meter_values')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('evse_id', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('measurand', 'text', (c) => c.notNull())
    .addColumn('phase', 'text')
    .addColumn('location', 'text')
    .addColumn('context', 'text')
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('unit', 'text')
    .execute();
  await sql`create index station_meter_values_series_idx on station_meter_values (station_id, measurand, at)`.execute(db);

  // The network-wide problem list is a scoped read (ADR 20): the same row-level policy as migration 0022.
  await addTenantRowPolicy(db, 'station_problems');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('station_meter_values').ifExists().execute();
  await db.schema.dropTable('station_problems').ifExists().execute();
  await db.schema.dropTable('station_events').ifExists().execute();
}
