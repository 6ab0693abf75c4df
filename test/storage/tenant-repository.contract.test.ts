/** The tenants repository on every storage engine. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlTenantRepository } from '../../src/capabilities/tenants/index.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const at = new Date('2026-03-01T10:00:00.123Z');

for (const target of storageTargets) {
  describe(`tenant repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlTenantRepository;
    before(async () => {
      storage = await target.open();
      repo = new SqlTenantRepository(storage.db);
    });
    after(async () => storage.close());

    test('the migration leaves exactly the default tenant', async () => {
      assert.deepEqual((await repo.list()).map((t) => t.id), ['default']);
    });

    test('create round-trips every field and refuses a taken id without changing it', async () => {
      assert.equal(await repo.create({ id: 'north', name: 'North sites', createdAt: at }), true);
      assert.equal(await repo.create({ id: 'north', name: 'Impostor', createdAt: new Date() }), false);
      assert.deepEqual(await repo.find('north'), { id: 'north', name: 'North sites', createdAt: at });
      assert.equal(await repo.find('south'), null);
      assert.deepEqual((await repo.list()).map((t) => t.id), ['default', 'north']);
    });
  });
}
