/** The vendor-extensions repositories on every storage engine (PGlite always; PostgreSQL when configured). */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { SqlVendorDataRepository, SqlVendorProfileRepository } from '../../src/capabilities/vendor-extensions/index.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const at = new Date('2026-03-01T10:00:00.123Z');
const later = new Date('2026-03-01T11:00:00.456Z');

for (const target of storageTargets) {
  describe(`vendor repositories on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let profiles: SqlVendorProfileRepository;
    let data: SqlVendorDataRepository;
    before(async () => {
      storage = await target.open();
      profiles = new SqlVendorProfileRepository(storage.db);
      data = new SqlVendorDataRepository(storage.db);
      await storage.db.insertInto('tenants').values([{ id: 'ta', name: 'A', created_at: at }, { id: 'tb', name: 'B', created_at: at }]).execute();
      for (const [id, tenant] of [['S-A', 'ta'], ['S-B', 'tb']] as const) {
        await sql`insert into stations (id, tenant_id, created_at, updated_at) values (${id}, ${tenant}, ${at}, ${at})`.execute(storage.db);
      }
    });
    after(async () => storage.close());

    const write = (tenantId: string, id: string, document: Record<string, unknown>, when = at) => ({ tenantId, id, vendorId: String(document.vendorId), documentText: JSON.stringify(document), at: when });

    test('profiles: per-tenant ids, the document text kept verbatim, revisions, vendor lookup without case', async () => {
      const doc = { zeta: 1, id: 'p1', vendorId: 'Com.Example', alpha: [2, { b: 1, a: 0 }] };
      assert.equal(await profiles.insert(write('ta', 'p1', doc)), true);
      assert.equal(await profiles.insert(write('ta', 'p1', doc)), false, 'taken in this tenant');
      assert.equal(await profiles.insert(write('tb', 'p1', { ...doc, vendorId: 'com.other' })), true, 'free in another');
      const found = await profiles.find('ta', 'p1');
      assert.equal(JSON.stringify(found?.document), JSON.stringify(doc), 'keys in their order');
      assert.deepEqual([found?.revision, found?.createdAt, found?.updatedAt], [1, at, at]);
      assert.equal(await profiles.replace(write('ta', 'p1', { ...doc, zeta: 2 }, later)), 2);
      assert.equal(await profiles.replace(write('ta', 'missing', doc)), null);
      const replaced = await profiles.find('ta', 'p1');
      assert.deepEqual([replaced?.document.zeta, replaced?.revision, replaced?.createdAt, replaced?.updatedAt], [2, 2, at, later]);
      assert.deepEqual((await profiles.ofVendor('ta', 'com.EXAMPLE')).map((p) => p.id), ['p1']);
      assert.deepEqual(await profiles.ofVendor('tb', 'com.example'), [], "another tenant's vendor");
      assert.deepEqual((await profiles.list('tb')).map((p) => [p.tenantId, p.vendorId]), [['tb', 'com.other']]);
    });

    test('profiles: upsertAll creates and replaces in one transaction, all or nothing', async () => {
      const result = await profiles.upsertAll([write('tb', 'p1', { id: 'p1', vendorId: 'x' }), write('tb', 'p2', { id: 'p2', vendorId: 'y' })]);
      assert.deepEqual(result, { created: 1, updated: 1 });
      assert.deepEqual((await profiles.list('tb')).map((p) => [p.id, p.revision]), [['p1', 2], ['p2', 1]]);
      // A row that cannot be written (NUL in a text column) rolls the batch back.
      await assert.rejects(profiles.upsertAll([write('tb', 'p3', { id: 'p3', vendorId: 'z' }), { ...write('tb', 'p4', { id: 'p4', vendorId: 'z' }), vendorId: 'bad\u0000' }]));
      assert.equal(await profiles.find('tb', 'p3'), null);
      assert.equal(await profiles.remove('tb', 'p2'), true);
      assert.equal(await profiles.remove('tb', 'p2'), false);
    });

    test('transfers with their metrics and events: stored raw, filtered, paged, scoped to the station and tenant', async () => {
      const payload = { vendorId: 'com.v\u0000x', messageId: 'M', data: { text: 'a\u0000b', n: 1.5 } };
      const first = await data.record(
        { tenantId: 'ta', stationId: 'S-A', vendorId: payload.vendorId, messageId: 'M', payload, outcome: 'accepted', profileId: 'p1', flagged: false, problems: [], receivedAt: at },
        {
          tenantId: 'ta',
          stationId: 'S-A',
          profileId: 'p1',
          metrics: [{ name: 'm.one', value: 1.25, unit: 'V', at }, { name: 'm.two', value: -3, unit: null, at: later }],
          events: [{ type: 'e.fault', severity: 'error', problem: true, detail: { code: 'X' }, at }],
        },
      );
      const second = await data.record({ tenantId: 'ta', stationId: 'S-A', vendorId: 'com.v', messageId: null, payload: { vendorId: 'com.v' }, outcome: 'rejected', profileId: 'p1', flagged: true, problems: ['/ must be object'], receivedAt: later }, null);
      await data.record({ tenantId: 'tb', stationId: 'S-B', vendorId: 'com.v', messageId: 'M', payload: {}, outcome: 'unknownVendor', profileId: null, flagged: false, problems: [], receivedAt: at }, null);

      const all = await data.transfers('ta', 'S-A', { limit: 10, offset: 0 });
      assert.deepEqual(all.items.map((t) => t.id), [second, first], 'newest first');
      assert.equal(all.total, 2);
      assert.deepEqual(all.items[1]?.payload, payload, 'the raw payload keeps U+0000');
      assert.equal(all.items[1]?.vendorId, 'com.v\uFFFDx', 'the column cannot');
      assert.deepEqual([all.items[0]?.messageId, all.items[0]?.flagged, all.items[0]?.problems, all.items[0]?.receivedAt], [null, true, ['/ must be object'], later]);
      assert.equal((await data.transfers('ta', 'S-A', { flagged: true, limit: 10, offset: 0 })).total, 1);
      assert.equal((await data.transfers('ta', 'S-A', { messageId: 'm', limit: 10, offset: 0 })).total, 1);
      assert.equal((await data.transfers('ta', 'S-A', { vendorId: 'COM.V', limit: 10, offset: 0 })).total, 1);
      assert.deepEqual((await data.transfers('ta', 'S-A', { limit: 1, offset: 1 })).items.map((t) => t.id), [first]);
      assert.equal((await data.transfers('tb', 'S-A', { limit: 10, offset: 0 })).total, 0, 'rows of the station under another tenant');

      const metrics = await data.metrics('ta', 'S-A', { limit: 10, offset: 0 });
      assert.deepEqual(metrics.items.map((m) => [m.name, m.value, m.unit, m.at, m.transferId]), [['m.two', -3, null, later, first], ['m.one', 1.25, 'V', at, first]]);
      assert.equal((await data.metrics('ta', 'S-A', { name: 'm.one', limit: 10, offset: 0 })).total, 1);
      assert.equal((await data.metrics('ta', 'S-A', { from: later, limit: 10, offset: 0 })).total, 1);
      assert.equal((await data.metrics('ta', 'S-A', { to: later, limit: 10, offset: 0 })).total, 1);
      const events = await data.events('ta', 'S-A', { problem: true, limit: 10, offset: 0 });
      assert.deepEqual(events.items.map((e) => [e.type, e.severity, e.problem, e.detail, e.at, e.profileId]), [['e.fault', 'error', true, { code: 'X' }, at, 'p1']]);
      assert.equal((await data.events('ta', 'S-A', { type: 'other', limit: 10, offset: 0 })).total, 0);

      await data.recordOutput({ tenantId: 'ta', stationId: 'S-A', profileId: 'p1', metrics: [{ name: 'cd', value: 7, unit: null, at }], events: [] }, null);
      assert.equal((await data.metrics('ta', 'S-A', { name: 'cd', limit: 10, offset: 0 })).items[0]?.transferId, null);

      await storage.db.deleteFrom('stations').where('id', '=', 'S-A').execute();
      assert.equal((await data.transfers('ta', 'S-A', { limit: 10, offset: 0 })).total, 0, 'rows go with their station');
      assert.equal((await data.metrics('ta', 'S-A', { limit: 10, offset: 0 })).total, 0);
    });
  });
}
