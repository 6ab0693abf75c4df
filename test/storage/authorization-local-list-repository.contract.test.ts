/**
 * The local authorization list storage port (SqlLocalListRepository) behaves the same on PGlite
 * and PostgreSQL: the change log that numbers list versions, and what each station holds.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { SqlLocalListRepository } from '../../src/capabilities/authorization/index.ts';
import { SqlStationRepository } from '../../src/capabilities/stations/index.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

type Change = { idToken: string; removed: boolean };

const t0 = new Date('2026-03-01T08:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const added = (idToken: string): Change => ({ idToken, removed: false });
const removed = (idToken: string): Change => ({ idToken, removed: true });
const sorted = (changes: Change[]) => [...changes].sort((a, b) => (a.idToken < b.idToken ? -1 : a.idToken > b.idToken ? 1 : 0));
/** Resolves once `write` has settled or some session of this database waits for a lock (never by the clock). */
async function settledOrWaitingOnLock(write: Promise<unknown>, storage: Storage): Promise<void> {
  let settled = false;
  write.then(() => (settled = true), () => (settled = true));
  while (!settled) {
    const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
      where not l.granted and d.datname = current_database()`.execute(storage.db);
    if ((waiting.rows[0]?.n ?? 0) > 0) return;
  }
}
const newStation = (id: string) => ({ id, passwordHash: null, securityProfile: 0 as const, siteId: null, labels: {}, registrationStatus: 'Accepted' as const });

/** The tests below write the default tenant's list unless they name another. */
const append = (repo: SqlLocalListRepository, changes: Change[], when: Date, tenantId = 'default') =>
  repo.appendChanges(changes.map((c) => ({ ...c, tenantId })), when);

for (const target of storageTargets) {
  describe(`local list repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let lists: SqlLocalListRepository;
    let stations: SqlStationRepository;
    before(async () => {
      storage = await target.open();
      lists = new SqlLocalListRepository(storage.db);
      stations = new SqlStationRepository(storage.db);
    });
    after(() => storage?.close());

    // Runs first: the tests below only append.
    test('nothing stored yet: version 0, no changes since 0, no station state', async () => {
      assert.equal(await lists.currentVersion(), 0);
      assert.deepEqual(await lists.changesSince(0), []);
      assert.equal(await lists.stationState('nobody'), null);
      assert.equal(await append(lists, [], t0), 0, 'an empty append creates no version');
    });

    test('every append moves the version forward and returns the new current version; an empty append returns it unchanged', async () => {
      const start = await lists.currentVersion();
      const v1 = await append(lists, [added('V-A'), added('V-B')], at(1));
      assert.ok(v1 > start, `${v1} > ${start}`);
      assert.equal(await lists.currentVersion(), v1);
      const v2 = await append(lists, [removed('V-A')], at(2));
      assert.ok(v2 > v1, `${v2} > ${v1}`);
      assert.equal(await append(lists, [], at(3)), v2);
      assert.equal(await lists.currentVersion(), v2);
      assert.equal(typeof v2, 'number', 'a bigint column is read as a number');
    });

    test('changesSince is strictly after the version given and lists each token once, with its latest change', async () => {
      const base = await lists.currentVersion();
      const v1 = await append(lists, [added('CS-A'), added('CS-B')], at(10));
      const v2 = await append(lists, [removed('CS-A'), added('CS-C')], at(11));
      const v3 = await append(lists, [added('CS-A')], at(12));
      assert.deepEqual(sorted(await lists.changesSince(base)), [added('CS-A'), added('CS-B'), added('CS-C')], 'CS-A: removed then added again');
      assert.deepEqual(sorted(await lists.changesSince(v1)), [added('CS-A'), added('CS-C')], 'CS-B was before v1 was confirmed');
      assert.deepEqual(await lists.changesSince(v2), [added('CS-A')]);
      assert.deepEqual(await lists.changesSince(v3), [], 'nothing after the current version');
      assert.deepEqual(await lists.changesSince(v3 + 1000), [], 'nor after a version from the future');
    });

    test('within one append the later change of a token wins', async () => {
      const base = await lists.currentVersion();
      await append(lists, [added('ONE-A'), removed('ONE-A'), removed('ONE-B'), added('ONE-B')], at(20));
      assert.deepEqual(sorted(await lists.changesSince(base)), [removed('ONE-A'), added('ONE-B')]);
    });

    test("each tenant's list has its own changes and its own newest version; numbers are shared, so a tenant's versions rise with gaps", async () => {
      await storage.db.insertInto('tenants').values({ id: 'll-other', name: 'Other', created_at: t0 }).onConflict((oc) => oc.doNothing()).execute();
      const base = await lists.currentVersion();
      const mine = await append(lists, [added('TEN-MINE')], at(40));
      const theirs = await append(lists, [added('TEN-THEIRS')], at(41), 'll-other');
      assert.ok(theirs > mine);
      assert.deepEqual(await lists.changesSince(base, 'default'), [added('TEN-MINE')], "another tenant's change is not in this tenant's list");
      assert.deepEqual(await lists.changesSince(base, 'll-other'), [added('TEN-THEIRS')]);
      assert.equal(await lists.currentVersion('default'), mine, "another tenant's change does not move this tenant's version");
      assert.equal(await lists.currentVersion('ll-other'), theirs);
      const versions = await lists.currentVersions();
      assert.deepEqual([versions.get('default'), versions.get('ll-other'), versions.get('nobody')], [mine, theirs, undefined]);
    });

    test('station state: saved, replaced whole, kept per station; a version may be null or beyond 32 bits', async () => {
      await stations.create(newStation('LL-1'), t0);
      await stations.create(newStation('LL-2'), t0);
      await lists.saveStationState('LL-1', { version: null, status: 'Partial', detail: 'full update in 3 parts: sending', syncedAt: at(1) });
      assert.deepEqual(await lists.stationState('LL-1'), { version: null, status: 'Partial', detail: 'full update in 3 parts: sending', syncedAt: at(1) });
      await lists.saveStationState('LL-1', { version: 3_000_000_001, status: 'Accepted', detail: null, syncedAt: new Date('2026-03-01T08:00:02.345Z') });
      assert.deepEqual(await lists.stationState('LL-1'), { version: 3_000_000_001, status: 'Accepted', detail: null, syncedAt: new Date('2026-03-01T08:00:02.345Z') });
      assert.equal(await lists.stationState('LL-2'), null, 'another station is untouched');
      await lists.saveStationState('LL-2', { version: 7, status: 'VersionMismatch', detail: 'station reported 3', syncedAt: at(3) });
      assert.equal((await lists.stationState('LL-1'))?.version, 3_000_000_001);
      assert.equal((await lists.stationState('LL-2'))?.status, 'VersionMismatch');
    });

    test('station state is refused for an unknown station and goes away with its station', async () => {
      await assert.rejects(lists.saveStationState('LL-ghost', { version: 1, status: 'Accepted', detail: null, syncedAt: t0 }));
      assert.equal(await lists.stationState('LL-ghost'), null);
      await stations.create(newStation('LL-GONE'), t0);
      await lists.saveStationState('LL-GONE', { version: 1, status: 'Accepted', detail: null, syncedAt: t0 });
      assert.equal(await stations.remove('LL-GONE'), true);
      assert.equal(await lists.stationState('LL-GONE'), null);
      await stations.create(newStation('LL-GONE'), at(5));
      assert.equal(await lists.stationState('LL-GONE'), null, 'a station registered again under the id starts with no list');
    });

    test(
      'a reader never sees a version before every lower version is committed (two nodes appending at once)',
      {
        skip: target.name === 'PGlite' ? 'PGlite has one connection: a second writer cannot run while a transaction holds it' : false,
      },
      async () => {
        const base = await lists.currentVersion();
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let appended!: () => void;
        const slowHasAppended = new Promise<void>((resolve) => (appended = resolve));
        // The slow writer has taken its version but not committed yet (another node, mid-statement).
        const slow = storage.db.transaction().execute(async (trx) => {
          await append(new SqlLocalListRepository(trx), [added('RACE-SLOW')], at(30));
          appended();
          await held;
        });
        let seenBySync: number;
        let sentToStation: Change[];
        let fast: Promise<number> | undefined;
        try {
          await Promise.race([slowHasAppended, slow]); // a failing slow writer fails the test instead of hanging it
          fast = append(lists, [added('RACE-FAST')], at(31));
          // The fast writer commits first, or (an adapter that serialises appends) waits for the slow one.
          await settledOrWaitingOnLock(fast, storage);
          // A sync now brings a station to the current version with the changes it can see.
          seenBySync = await lists.currentVersion();
          sentToStation = await lists.changesSince(base);
        } finally {
          release();
          await slow;
          await fast;
        }
        const sentIds = new Set(sentToStation.map((c) => c.idToken));
        const everything = await lists.changesSince(base);
        const notSent = everything.filter((c) => !sentIds.has(c.idToken)).map((c) => c.idToken);
        const nextDifferential = (await lists.changesSince(seenBySync)).map((c) => c.idToken);
        assert.deepEqual(nextDifferential, notSent, 'the next differential update after the synced version carries what the station missed');
      },
    );
  });
}
