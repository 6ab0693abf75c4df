import { sql, type Kysely } from 'kysely';

/** Issue 13: every station belongs to a tenant; existing ones to `default` (ADR 20). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('stations')
    .addColumn('tenant_id', 'text', (c) => c.notNull().defaultTo('default').references('tenants.id'))
    .execute();
  await sql`create index stations_tenant_idx on stations (tenant_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('stations').dropColumn('tenant_id').execute();
}
