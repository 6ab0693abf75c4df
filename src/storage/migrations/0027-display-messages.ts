import { sql, type Kysely } from 'kysely';

/**
 * Issue 14: the CSMS's view of each station's display messages (what it set, what the station
 * reported, what it cleared) and the GetDisplayMessages requests with their report parts. Rows go
 * with their station; they carry its tenant for scoped reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('display_messages')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('message_id', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('on_station', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('set_spec', 'jsonb')
    .addColumn('set_outcome', 'text')
    .addColumn('set_status', 'text')
    .addColumn('set_at', 'timestamptz')
    .addColumn('set_command_id', 'text')
    .addColumn('reported_spec', 'jsonb')
    .addColumn('reported_at', 'timestamptz')
    .addColumn('reported_request_id', 'integer')
    .addColumn('clear_outcome', 'text')
    .addColumn('clear_status', 'text')
    .addColumn('clear_at', 'timestamptz')
    .addColumn('clear_command_id', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('display_messages_pk', ['station_id', 'message_id'])
    .execute();
  await sql`create index display_messages_tenant_idx on display_messages (tenant_id)`.execute(db);
  await db.schema
    .createTable('display_message_reports')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('request_id', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('requested_at', 'timestamptz')
    .addColumn('filters', 'jsonb', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('parts', 'integer', (c) => c.notNull())
    .addColumn('messages', 'integer', (c) => c.notNull())
    .addColumn('last_part_received', 'boolean', (c) => c.notNull())
    .addColumn('first_part_at', 'timestamptz')
    .addColumn('last_part_at', 'timestamptz')
    .addColumn('flags', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('display_message_reports_pk', ['station_id', 'request_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('display_message_reports').ifExists().execute();
  await db.schema.dropTable('display_messages').ifExists().execute();
}
