/**
 * The second line of tenant isolation (ADR 20): a scoped read runs in its own transaction under
 * the role `chargebridge_tenant` with the tenant in a transaction-local setting, so the row-level
 * security policies of migration 0022 hide every other tenant's rows even from a query that forgot
 * its predicate. Both settings end with the transaction: nothing leaks to the next user of the
 * connection (PGlite has only one).
 *
 * Only reads on behalf of a caller go through here (REST lists, counts); ingest, jobs and writes
 * keep the application's own role, so group commits stay one statement for every tenant.
 */
import { sql } from 'kysely';
import { scopedTenant, type TenantScope } from '../kernel/tenant-scope.ts';
import type { Database } from './database.ts';

/** Whether each database may take the role (checked once at start; absent: not checked, treated as off). */
const available = new WeakMap<Database, boolean>();

/** Looks whether the role exists and this user may take it; returns the answer and remembers it for `readInScope`. */
export async function checkTenantReads(db: Database): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select exists (
      select 1 from pg_roles where rolname = 'chargebridge_tenant' and pg_has_role(current_user, oid, 'member')
    ) as ok`.execute(db);
  const ok = rows[0]?.ok === true;
  available.set(db, ok);
  return ok;
}

/** Runs `read` as the scope's tenant: under row-level security when available, as is for a scope that sees every tenant. */
export async function readInScope<T>(db: Database, scope: TenantScope, read: (db: Database) => Promise<T>): Promise<T> {
  const tenantId = scopedTenant(scope);
  if (tenantId === null || db.isTransaction || available.get(db) !== true) return read(db);
  return db.transaction().execute(async (trx) => {
    await sql`set local role chargebridge_tenant`.execute(trx);
    await sql`select set_config('chargebridge.tenant_id', ${tenantId}, true)`.execute(trx);
    return read(trx);
  });
}
