/**
 * The row-level policy of a table a tenant's scoped lists read (ADR 20, migration 0022): the role
 * `chargebridge_tenant` may select only the rows of the tenant in the transaction's setting. For
 * tables with their own `tenant_id` added after 0022; where the role does not exist (no
 * CREATEROLE), row-level security is enabled without a policy, as 0022 does.
 */
import { sql, type Kysely } from 'kysely';

export async function addTenantRowPolicy(db: Kysely<unknown>, table: string): Promise<void> {
  const role = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'chargebridge_tenant') as ok`.execute(db);
  await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  if (!role.rows[0]?.ok) return;
  await sql`grant select on ${sql.table(table)} to chargebridge_tenant`.execute(db);
  await sql`create policy tenant_rows on ${sql.table(table)} for select to chargebridge_tenant using (tenant_id = current_setting('chargebridge.tenant_id', true))`.execute(db);
}
