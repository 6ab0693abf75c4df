import { sql, type Kysely } from 'kysely';

/**
 * ADR 20, the second line behind scoped queries: row-level security on the tables a tenant's
 * lists read. The policies bind only the role `chargebridge_tenant`, which a scoped REST read
 * takes for its own transaction (storage/tenant-reads.ts); the application's own role owns the
 * tables, so ingest, jobs and the cluster are not affected (RLS does not apply to a table's owner
 * unless forced).
 *
 * Creating a role needs CREATEROLE. Where the database user lacks it, the role is left out, a
 * notice says so, and the application logs at start that the second line is off (the first line,
 * scoped queries, still holds). An administrator can then create the role and grant it to the
 * application's user, and the policies below take effect.
 */
const DIRECT = ['stations', 'transactions', 'autocharge_uses', 'audit_log', 'users', 'api_keys', 'id_tokens', 'sites'];
const THROUGH_STATION = ['station_connectors'];
const THROUGH_TRANSACTION = ['stuck_cases'];
const SETTING = sql`current_setting('chargebridge.tenant_id', true)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`do $$
    begin
      if not exists (select 1 from pg_roles where rolname = 'chargebridge_tenant') then
        create role chargebridge_tenant nologin;
      end if;
      if not pg_has_role(current_user, 'chargebridge_tenant', 'member') then
        execute format('grant chargebridge_tenant to %I', current_user);
      end if;
    exception
      when insufficient_privilege then
        raise notice 'chargebridge_tenant not created (no CREATEROLE): row-level security stays off';
      -- Another database of the same server created it at the same moment (roles are server-wide).
      when duplicate_object then null;
    end $$`.execute(db);
  const hasRole = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'chargebridge_tenant') as ok`.execute(db);
  for (const table of [...DIRECT, ...THROUGH_STATION, ...THROUGH_TRANSACTION]) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    if (hasRole.rows[0]?.ok) await sql`grant select on ${sql.table(table)} to chargebridge_tenant`.execute(db);
  }
  // Without the role the policies cannot name it; with it, each reads the tenant from the transaction's setting.
  if (!hasRole.rows[0]?.ok) return;
  for (const table of DIRECT) {
    await sql`create policy tenant_rows on ${sql.table(table)} for select to chargebridge_tenant using (tenant_id = ${SETTING})`.execute(db);
  }
  // The subqueries read stations and transactions under the same role: their own policies filter them.
  for (const table of THROUGH_STATION) {
    await sql`create policy tenant_rows on ${sql.table(table)} for select to chargebridge_tenant using (station_id in (select id from stations))`.execute(db);
  }
  for (const table of THROUGH_TRANSACTION) {
    await sql`create policy tenant_rows on ${sql.table(table)} for select to chargebridge_tenant using (transaction_id in (select id from transactions))`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [...DIRECT, ...THROUGH_STATION, ...THROUGH_TRANSACTION]) {
    await sql`drop policy if exists tenant_rows on ${sql.table(table)}`.execute(db);
    await sql`alter table ${sql.table(table)} disable row level security`.execute(db);
  }
}
