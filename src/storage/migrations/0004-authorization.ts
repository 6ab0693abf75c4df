import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('id_tokens')
    .addColumn('id_token', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('group_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('authorization_sites')
    .addColumn('site_id', 'text', (c) => c.primaryKey())
    .addColumn('autocharge_enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('autocharge_uses')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('id_token', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted', 'boolean', (c) => c.notNull())
    .addColumn('suspicion', 'text')
    .execute();
  await db.schema.createIndex('autocharge_uses_token_idx').on('autocharge_uses').columns(['id_token', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['autocharge_uses', 'authorization_sites', 'id_tokens']) await db.schema.dropTable(table).ifExists().execute();
}
