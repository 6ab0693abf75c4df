import { sql, type Kysely } from 'kysely';

/**
 * Issue 13 (first part): the organisations that own sites, stations and tokens. One `default`
 * tenant keeps the single-operator case as it was; later migrations give owned tables their
 * `tenant_id` referencing this table (ADR 20).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`insert into tenants (id, name, created_at) values ('default', 'Default', now())`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tenants').ifExists().execute();
}
