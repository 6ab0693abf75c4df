import { sql, type Kysely } from 'kysely';

/**
 * Issue 13: the audit trail. Append-only: the application only inserts and selects; no code path
 * updates or deletes a row (a test checks the repository has no such method).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('path', 'text')
    .addColumn('station_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('status', 'integer')
    .addColumn('code', 'text')
    .addColumn('detail', 'jsonb')
    .execute();
  await sql`create index audit_log_tenant_idx on audit_log (tenant_id, id)`.execute(db);
  await sql`create index audit_log_station_idx on audit_log (station_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_log').ifExists().execute();
}
