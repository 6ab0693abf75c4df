/** The id-token storage port (SqlTokenRepository) behaves the same on PGlite and PostgreSQL. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlTokenRepository } from '../../src/capabilities/authorization/index.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

type IdToken = Parameters<SqlTokenRepository['upsert']>[0];

const t0 = new Date('2026-03-01T08:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const token = (idToken: string, extra: Partial<IdToken> = {}): IdToken => ({
  idToken,
  tenantId: 'default',
  type: 'ISO14443',
  status: 'Accepted',
  expiresAt: null,
  groupId: null,
  inLocalList: false,
  createdAt: t0,
  updatedAt: t0,
  ...extra,
});
const byId = (tokens: IdToken[]) => [...tokens].sort((a, b) => (a.idToken < b.idToken ? -1 : a.idToken > b.idToken ? 1 : 0));
const stored = async (repo: SqlTokenRepository, idToken: string) => (await repo.findMany([idToken]))[0];

for (const target of storageTargets) {
  describe(`token repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlTokenRepository;
    before(async () => {
      storage = await target.open();
      repo = new SqlTokenRepository(storage.db);
    });
    after(() => storage?.close());

    // Runs first: the tests below only add tokens.
    test('nothing stored yet: no tokens, and looking up or removing one finds nothing', async () => {
      assert.deepEqual(await repo.all(), []);
      assert.deepEqual(await repo.findMany(['nobody']), []);
      assert.equal(await repo.remove('nobody'), false);
    });

    test('a token round-trips every field, dates to the millisecond', async () => {
      const full = token('RT-1', {
        type: 'eMAID',
        status: 'Blocked',
        expiresAt: new Date('2027-01-02T03:04:05.678Z'),
        groupId: 'FLEET-RT',
        inLocalList: true,
        createdAt: new Date('2026-03-01T08:00:00.123Z'),
        updatedAt: new Date('2026-03-01T09:30:00.456Z'),
      });
      assert.equal(await repo.upsert(full), true, 'a token not seen before is new');
      assert.deepEqual(await stored(repo, 'RT-1'), full);
      assert.deepEqual((await repo.all()).find((x) => x.idToken === 'RT-1'), full, 'all() reads the same row');
    });

    test('upsert of a known token says it was not new and replaces every field but the creation time', async () => {
      const first = token('UP-1', { expiresAt: at(3600), groupId: 'G', inLocalList: true, createdAt: at(0), updatedAt: at(0) });
      assert.equal(await repo.upsert(first), true);
      const second = token('UP-1', { type: 'KeyCode', status: 'Invalid', expiresAt: null, groupId: null, inLocalList: false, createdAt: at(50), updatedAt: at(60) });
      assert.equal(await repo.upsert(second), false);
      assert.deepEqual(await stored(repo, 'UP-1'), { ...second, createdAt: at(0) }, 'cleared fields are cleared; the token keeps its first creation time');
      assert.equal((await repo.all()).filter((x) => x.idToken === 'UP-1').length, 1, 'still one row');
    });

    test('findMany returns only the named tokens that exist, each once', async () => {
      await repo.upsertMany([token('FM-A'), token('FM-B'), token('FM-C')]);
      assert.deepEqual(byId(await repo.findMany(['FM-C', 'FM-missing', 'FM-A', 'FM-A'])).map((x) => x.idToken), ['FM-A', 'FM-C']);
      assert.deepEqual(await repo.findMany([]), [], 'no names: nothing, without a query error');
    });

    test('upsertMany inserts new tokens and replaces known ones in one call; an empty batch changes nothing', async () => {
      await repo.upsert(token('UM-OLD', { status: 'Accepted', createdAt: at(0) }));
      await repo.upsertMany([
        token('UM-OLD', { status: 'Blocked', groupId: 'UM-G', createdAt: at(10), updatedAt: at(10) }),
        token('UM-NEW', { inLocalList: true, expiresAt: at(99), createdAt: at(10), updatedAt: at(10) }),
      ]);
      assert.deepEqual(byId(await repo.findMany(['UM-OLD', 'UM-NEW'])), [
        token('UM-NEW', { inLocalList: true, expiresAt: at(99), createdAt: at(10), updatedAt: at(10) }),
        token('UM-OLD', { status: 'Blocked', groupId: 'UM-G', createdAt: at(0), updatedAt: at(10) }),
      ]);
      const before = byId(await repo.all());
      await repo.upsertMany([]);
      assert.deepEqual(byId(await repo.all()), before);
    });

    test('upsertMany takes a whole import chunk (1000 tokens) and findMany reads them back by name', async () => {
      const chunk = Array.from({ length: 1000 }, (_, n) => token(`CH-${String(n).padStart(4, '0')}`, { groupId: n % 2 ? 'CH-ODD' : null }));
      await repo.upsertMany(chunk);
      const found = byId(await repo.findMany(chunk.map((x) => x.idToken)));
      assert.equal(found.length, 1000);
      assert.deepEqual(found, byId(chunk));
    });

    test(
      'upsertMany given the same token twice (a CSV import repeating a line) keeps the last one',
      async () => {
        await repo.upsertMany([token('DUP-1', { status: 'Accepted' }), token('DUP-2'), token('DUP-1', { status: 'Blocked', updatedAt: at(5) })]);
        assert.equal((await stored(repo, 'DUP-1'))?.status, 'Blocked');
        assert.equal((await repo.findMany(['DUP-2'])).length, 1);
      },
    );

    test('remove deletes only the named token and says whether it existed', async () => {
      await repo.upsertMany([token('RM-1'), token('RM-2')]);
      assert.equal(await repo.remove('RM-1'), true);
      assert.equal(await repo.remove('RM-1'), false, 'already gone');
      assert.deepEqual((await repo.findMany(['RM-1', 'RM-2'])).map((x) => x.idToken), ['RM-2']);
      assert.equal(await repo.upsert(token('RM-1')), true, 'a removed token is new again');
    });
  });
}
