import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('id_tokens').addColumn('in_local_list', 'boolean', (c) => c.notNull().defaultTo(false)).execute();

  // Every change to a token on the local list gets the next list version (OCPP 1.6 §5.15, 2.0.1 D01).
  await db.schema
    .createTable('local_list_changes')
    .addColumn('version', 'bigserial', (c) => c.primaryKey())
    .addColumn('id_token', 'text', (c) => c.notNull())
    .addColumn('removed', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('station_local_lists')
    .addColumn('station_id', 'text', (c) => c.primaryKey().references('stations.id').onDelete('cascade'))
    .addColumn('version', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('synced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('station_local_lists').ifExists().execute();
  await db.schema.dropTable('local_list_changes').ifExists().execute();
  await db.schema.alterTable('id_tokens').dropColumn('in_local_list').execute();
}
