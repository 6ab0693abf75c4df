/**
 * The second line of tenant isolation (ADR 20, migration 0022) on every storage engine: a read run
 * with `readInScope` sees only the scope's tenant, even written without any tenant predicate; the
 * role and the tenant setting end with it; the role cannot write; a scope that sees every tenant
 * reads as the application.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Storage } from '../../src/storage/database.ts';
import { checkTenantReads, readInScope } from '../../src/storage/tenant-reads.ts';
import { ALL_TENANTS } from '../../src/kernel/tenant-scope.ts';
import { storageTargets } from '../support/storage-targets.ts';

const at = new Date('2026-03-01T10:00:00Z');

for (const target of storageTargets) {
  describe(`row-level security on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    before(async () => {
      storage = await target.open();
      const db = storage.db;
      await db.insertInto('tenants').values([{ id: 'rls-a', name: 'A', created_at: at }, { id: 'rls-b', name: 'B', created_at: at }]).execute();
      for (const t of ['a', 'b']) {
        await db.insertInto('stations').values({ id: `RLS-${t}`, tenant_id: `rls-${t}`, security_profile: 0, labels: '{}', registration_status: 'Accepted', created_at: at, updated_at: at }).execute();
        await db.insertInto('station_connectors').values({ station_id: `RLS-${t}`, evse_id: 1, connector_id: 1, status: 'Available', activity: null, ocpp_status: null, error_code: null, info: null, reported_at: at }).execute();
        await sql`insert into transactions (id, station_id, tenant_id, ocpp_version, ocpp_transaction_id, state, flags, last_event_at, created_at, updated_at, version)
          values (${`tx-rls-${t}`}, ${`RLS-${t}`}, ${`rls-${t}`}, '1.6', ${`rls-${t}`}, 'active', '[]', ${at}, ${at}, ${at}, 1)`.execute(db);
        await db
          .insertInto('audit_log')
          .values({ at, tenant_id: `rls-${t}`, actor_kind: 'admin', actor_id: null, actor_label: 'admin token', action: 'POST /x', path: null, station_id: null, request_id: null, status: 200, code: null, detail: null })
          .execute();
      }
    });
    after(() => storage?.close());

    test('the role is there and the application may take it', async () => {
      assert.equal(await checkTenantReads(storage.db), true);
    });

    test('a read in a tenant scope sees that tenant only, though it names no tenant', async () => {
      const seen = await readInScope(storage.db, { tenantId: 'rls-a' }, async (db) => ({
        stations: (await db.selectFrom('stations').select('id').execute()).map((r) => r.id),
        connectors: (await db.selectFrom('station_connectors').select('station_id').execute()).map((r) => r.station_id),
        transactions: (await db.selectFrom('transactions').select('id').execute()).map((r) => r.id),
        audit: (await db.selectFrom('audit_log').select('tenant_id').execute()).map((r) => r.tenant_id),
        tenants: (await db.selectFrom('stations').select(sql<string>`distinct tenant_id`.as('t')).execute()).map((r) => r.t),
      }));
      assert.deepEqual(seen, { stations: ['RLS-a'], connectors: ['RLS-a'], transactions: ['tx-rls-a'], audit: ['rls-a'], tenants: ['rls-a'] });
    });

    test('the role and the tenant end with the read: the next query is the application again', async () => {
      await readInScope(storage.db, { tenantId: 'rls-b' }, (db) => db.selectFrom('stations').select('id').execute());
      const who = await sql<{ user: string; tenant: string | null }>`select current_user as user, current_setting('chargebridge.tenant_id', true) as tenant`.execute(storage.db);
      assert.notEqual(who.rows[0]?.user, 'chargebridge_tenant');
      assert.ok(!who.rows[0]?.tenant, 'no tenant setting left behind');
      const all = await storage.db.selectFrom('stations').select('id').where('id', 'like', 'RLS-%').orderBy('id').execute();
      assert.deepEqual(all.map((r) => r.id), ['RLS-a', 'RLS-b']);
    });

    test('a scope over every tenant reads as the application; the tenant role cannot write', async () => {
      const all = await readInScope(storage.db, ALL_TENANTS, (db) => db.selectFrom('stations').select('id').where('id', 'like', 'RLS-%').execute());
      assert.equal(all.length, 2);
      await assert.rejects(
        readInScope(storage.db, { tenantId: 'rls-a' }, (db) => db.updateTable('stations').set({ labels: '{"x":"y"}' }).where('id', '=', 'RLS-b').execute()),
        /permission denied/,
      );
      const untouched = await storage.db.selectFrom('stations').select('labels').where('id', '=', 'RLS-b').executeTakeFirstOrThrow();
      assert.deepEqual(untouched.labels, {});
    });
  });
}
