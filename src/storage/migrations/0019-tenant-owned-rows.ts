import { sql, type Kysely } from 'kysely';

/**
 * Issue 13, ADR 20: the rows a tenant owns carry `tenant_id`; existing ones belong to `default` (or
 * to their station's tenant). That includes the rows that outlive their station (transactions,
 * Autocharge uses): a deleted station's id may be registered again by another tenant, which must not
 * inherit its history. Rows deleted with their station (commands, its local list and offline state)
 * and rows deleted with their transaction (stuck cases) take their owner's tenant (ADR 20, amended).
 *
 * Sites had no table: a site was an id on stations and on site settings. A site now belongs to one
 * tenant (`sites`), so a tenant cannot read or change another's site settings by guessing its id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('id_tokens')
    .addColumn('tenant_id', 'text', (c) => c.notNull().defaultTo('default').references('tenants.id'))
    .execute();
  await sql`create index id_tokens_tenant_idx on id_tokens (tenant_id)`.execute(db);
  for (const table of ['transactions', 'autocharge_uses']) {
    await db.schema.alterTable(table).addColumn('tenant_id', 'text', (c) => c.notNull().defaultTo('default').references('tenants.id')).execute();
    await sql`update ${sql.table(table)} t set tenant_id = s.tenant_id from stations s where s.id = t.station_id and s.tenant_id <> 'default'`.execute(db);
  }
  await sql`create index transactions_tenant_idx on transactions (tenant_id, started_at)`.execute(db);
  // A removed token's change must still say whose list it leaves.
  await db.schema.alterTable('local_list_changes').addColumn('tenant_id', 'text', (c) => c.notNull().defaultTo('default')).execute();
  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .execute();
  await sql`insert into sites (id, tenant_id)
    select site_id, min(tenant_id) from stations where site_id is not null group by site_id
    on conflict do nothing`.execute(db);
  await sql`insert into sites (id, tenant_id) select site_id, 'default' from authorization_sites on conflict do nothing`.execute(db);
  await sql`insert into sites (id, tenant_id)
    select scope_id, 'default' from offline_authorization_settings where scope = 'site' on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sites').ifExists().execute();
  await db.schema.alterTable('local_list_changes').dropColumn('tenant_id').execute();
  await db.schema.alterTable('autocharge_uses').dropColumn('tenant_id').execute();
  await db.schema.alterTable('transactions').dropColumn('tenant_id').execute();
  await db.schema.alterTable('id_tokens').dropColumn('tenant_id').execute();
}
