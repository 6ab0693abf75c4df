/** The transactions and id-token storage ports behave the same on PGlite and PostgreSQL. */
import { ALL_TENANTS } from '../../src/kernel/tenant-scope.ts';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlTransactionRepository } from '../../src/capabilities/transactions/transaction-repository-sql.ts';
import { SqlLocalListRepository, SqlTokenRepository } from '../../src/capabilities/authorization/authorization-repository-sql.ts';
import { mergeObservation, type Transaction } from '../../src/capabilities/transactions/transaction.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 8, minute));
const sample = (minute: number, value: number) => ({ at: t(minute), measurand: 'Energy.Active.Import.Register', phase: null, location: null, context: null, value, unit: 'Wh' });
const event = (key: string, minute: number) => ({
  dedupeKey: key, kind: 'updated', seqNo: null, triggerReason: null, occurredAt: t(minute), receivedAt: t(minute), offline: false, summary: { key },
});
const newTx = (id: string, stationId: string, ocppId: string, minute = 0): Transaction =>
  mergeObservation(null, { kind: 'started', ocppTransactionId: ocppId, at: t(minute), evseId: 1, offline: false, samples: [] }, {
    newId: id, now: t(minute), stationId, tenantId: 'default', ocppVersion: '2.0.1',
  });

for (const target of storageTargets) {
  describe(`transaction repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlTransactionRepository;
    before(async () => {
      storage = await target.open();
      repo = new SqlTransactionRepository(storage.db);
    });
    after(() => storage?.close());

    test('1.6 ids come from a sequence in blocks and are unique', async () => {
      const [first, second] = await Promise.all([repo.nextIssuedTransactionIds(50), repo.nextIssuedTransactionIds(50)]);
      const all = [...first!, ...second!];
      assert.equal(new Set(all).size, 100, 'two blocks taken at once never share an id');
      assert.ok(all.every(Number.isInteger));
    });

    test('recordEvent writes the transaction, the event and the samples atomically, once per key', async () => {
      const tx = newTx('T-1', 'S-1', 'X1');
      assert.equal(await repo.recordEvent(tx, event('k1', 0), [sample(0, 10), sample(1, 20)]), 'written');
      assert.equal(await repo.recordEvent({ ...tx, version: tx.version + 1, lastMeterWh: 20 }, event('k1', 0), [sample(2, 30)]), 'duplicate', 'same key: nothing written');
      assert.equal(await repo.recordEvent(newTx('T-dup', 'S-1', 'X-other'), event('k1', 0), []), 'duplicate', 'a new transaction for a seen key is rolled back');
      assert.equal(await repo.find('T-dup'), null);
      assert.equal((await repo.meterValues('T-1', { limit: 10 })).length, 2);
      assert.equal((await repo.events('T-1')).length, 1);
      assert.equal((await repo.findByEventKey('S-1', 'k1'))?.id, 'T-1');
      assert.equal(await repo.findByEventKey('S-2', 'k1'), null, 'keys are per station');
    });

    test('messages written at once are committed as one group; a duplicate among them is dropped alone', async () => {
      const first = newTx('T-G0', 'S-G0', 'G0');
      assert.equal(await repo.recordEvent(first, event('g', 0), [sample(0, 1)]), 'written');
      // Issued in the same tick, so they meet in one group: 20 fresh messages and one replay of 'g' on S-G0.
      const writes = Array.from({ length: 20 }, (_, n) => repo.recordEvent(newTx(`T-G${n + 1}`, `S-G${n + 1}`, `G${n + 1}`), event('g', n), [sample(0, n), sample(1, n + 1)]));
      const replay = repo.recordEvent({ ...first, lastMeterWh: 999 }, event('g', 0), [sample(5, 999)]);
      const results = await Promise.all([...writes, replay]);
      assert.deepEqual(results, [...Array(20).fill('written'), 'duplicate']);
      for (let n = 1; n <= 20; n++) assert.equal((await repo.meterValues(`T-G${n}`, { limit: 10 })).length, 2, `samples of T-G${n}`);
      assert.equal((await repo.find('T-G0'))?.lastMeterWh, first.lastMeterWh, 'the replay changed nothing');
      assert.equal((await repo.meterValues('T-G0', { limit: 10 })).length, 1);
    });

    test('guarded writes: two decisions from the same read, the second is stale and changes nothing, alone or in a group', async () => {
      const read = newTx('T-V', 'S-V', 'V1');
      assert.equal(await repo.recordEvent(read, event('v0', 0), []), 'written');
      const stop = { ...read, version: read.version + 1, state: 'completed' as const, stopReason: 'Local', meterStopWh: 4200 };
      const close = { ...read, version: read.version + 1, state: 'completed' as const, stopReason: 'stuck', flags: ['stuck' as const, 'estimated' as const] };
      assert.equal(await repo.recordEvent(stop, event('v-stop', 1), [sample(1, 4200)]), 'written');
      // Issued together with a fresh message of another station: the stale close is refused alone.
      const [stale, fresh] = await Promise.all([repo.recordClose(close, event('v-close', 2)), repo.recordEvent(newTx('T-V2', 'S-V2', 'V2'), event('v2', 2), [])]);
      assert.deepEqual([stale, fresh], ['stale', 'written']);
      const stored = await repo.find('T-V');
      assert.deepEqual([stored?.stopReason, stored?.meterStopWh, stored?.flags, stored?.version], ['Local', 4200, [], 2]);
      assert.deepEqual((await repo.events('T-V')).map((e) => e.dedupeKey), ['v0', 'v-stop'], 'nothing of the stale write was kept');
      assert.equal((await repo.events('T-V2')).length, 1);
    });

    test('updates, lookups by OCPP id and by connector, and filters', async () => {
      const tx = newTx('T-2', 'S-2', '42', 5);
      await repo.recordEvent(tx, event('a', 5), []);
      assert.equal((await repo.findActiveOn('S-2', 1))?.id, 'T-2');
      assert.equal(await repo.recordEvent({ ...tx, version: tx.version + 1, state: 'completed', stoppedAt: t(9), flags: ['seqno-gap'], idToken: 'TAG' }, event('b', 9), []), 'written');
      const found = await repo.findByOcppId('S-2', '42');
      assert.deepEqual([found?.state, found?.stoppedAt?.toISOString(), found?.flags], ['completed', t(9).toISOString(), ['seqno-gap']]);
      assert.equal(await repo.findActiveOn('S-2', 1), null);
      assert.equal((await repo.list({ scope: ALL_TENANTS, stationId: 'S-2', limit: 10, offset: 0 })).total, 1);
      assert.equal((await repo.list({ scope: ALL_TENANTS, idToken: 'TAG', state: 'completed', limit: 10, offset: 0 })).items[0]?.id, 'T-2');
      assert.equal((await repo.list({ scope: ALL_TENANTS, from: t(6), limit: 10, offset: 0 })).total, 0);
    });
  });

  describe(`token repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlTokenRepository;
    before(async () => {
      storage = await target.open();
      repo = new SqlTokenRepository(storage.db);
    });
    after(() => storage?.close());

    test('upsert, upsertMany and remove', async () => {
      const token = { idToken: 'AA11', tenantId: 'default', type: 'ISO14443' as const, status: 'Accepted' as const, expiresAt: null, groupId: null, inLocalList: false, createdAt: t(0), updatedAt: t(0) };
      assert.equal(await repo.upsert(token), true);
      assert.equal(await repo.upsert({ ...token, status: 'Blocked', updatedAt: t(1) }), false);
      await repo.upsertMany([{ ...token, idToken: 'BB22', expiresAt: t(30), groupId: 'AA11' }, { ...token, idToken: 'CC33' }]);
      const all = new Map((await repo.all()).map((x) => [x.idToken, x]));
      assert.deepEqual([all.size, all.get('AA11')?.status, all.get('BB22')?.expiresAt?.toISOString(), all.get('BB22')?.groupId], [3, 'Blocked', t(30).toISOString(), 'AA11']);
      assert.equal(await repo.remove('CC33'), true);
      assert.equal(await repo.remove('CC33'), false);
    });

    test('local list versions: a change log and what each station holds', async () => {
      const lists = new SqlLocalListRepository(storage.db);
      assert.equal(await lists.currentVersion(), 0);
      const v1 = await lists.appendChanges([{ idToken: 'A', tenantId: 'default', removed: false }, { idToken: 'B', tenantId: 'default', removed: false }], t(0));
      const v2 = await lists.appendChanges([{ idToken: 'A', tenantId: 'default', removed: true }], t(1));
      assert.ok(v2 > v1);
      assert.deepEqual(await lists.changesSince(v1), [{ idToken: 'A', removed: true }]);
      assert.deepEqual((await lists.changesSince(0)).sort((a, b) => a.idToken.localeCompare(b.idToken)), [{ idToken: 'A', removed: true }, { idToken: 'B', removed: false }]);
      await storage.db.insertInto('stations').values({ id: 'LL-S', security_profile: 0, labels: '{}', registration_status: 'Accepted', created_at: t(0), updated_at: t(0) }).execute();
      assert.equal(await lists.stationState('LL-S'), null);
      await lists.saveStationState('LL-S', { version: v2, status: 'Accepted', detail: 'full update', syncedAt: t(2) });
      await lists.saveStationState('LL-S', { version: v2, status: 'UpToDate', detail: null, syncedAt: t(3) });
      assert.deepEqual(await lists.stationState('LL-S'), { version: v2, status: 'UpToDate', detail: null, syncedAt: t(3) });
    });
  });
}
