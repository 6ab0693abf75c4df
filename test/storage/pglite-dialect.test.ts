/**
 * src/storage/pglite-dialect.ts, Kysely 0.28's missing PGlite dialect (ADR 0017):
 * PGlite's one connection is lent to one user at a time, transactions commit and
 * roll back, affected rows are counted as the pg driver counts them, and a
 * failed statement or transaction leaves the connection usable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from '../../src/storage/pglite-dialect.ts';

interface Schema {
  item: { id: number; label: string };
}

async function database(): Promise<{ db: Kysely<Schema>; pglite: PGlite }> {
  const pglite = new PGlite();
  const db = new Kysely<Schema>({ dialect: new PGliteDialect({ pglite }) });
  await sql`create table item (id integer primary key, label text not null)`.execute(db);
  return { db, pglite };
}

test('rows, affected rows and returning, as the pg driver reports them', async () => {
  const { db, pglite } = await database();
  const inserted = await db.insertInto('item').values([{ id: 1, label: 'a' }, { id: 2, label: 'b' }]).executeTakeFirst();
  assert.equal(inserted.numInsertedOrUpdatedRows, 2n);
  const updated = await db.updateTable('item').set({ label: 'c' }).where('id', '=', 2).executeTakeFirst();
  assert.equal(updated.numUpdatedRows, 1n);
  const none = await db.updateTable('item').set({ label: 'x' }).where('id', '=', 99).executeTakeFirst();
  assert.equal(none.numUpdatedRows, 0n, 'a compare-and-set that matches nothing reads 0');
  assert.deepEqual(await db.deleteFrom('item').where('id', '=', 1).returning('label').execute(), [{ label: 'a' }]);
  assert.deepEqual(await db.selectFrom('item').selectAll().execute(), [{ id: 2, label: 'c' }]);
  await db.destroy();
  assert.equal(pglite.closed, true, 'destroy closes the PGlite instance, as Kysely 0.29 does');
});

test('a transaction commits, a thrown error rolls it back, and a failed statement leaves the connection usable', async () => {
  const { db } = await database();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('item').values({ id: 1, label: 'kept' }).execute();
  });
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await trx.insertInto('item').values({ id: 2, label: 'dropped' }).execute();
      throw new Error('changed my mind');
    }),
    /changed my mind/,
  );
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await trx.insertInto('item').values({ id: 3, label: 'dropped too' }).execute();
      await trx.insertInto('item').values({ id: 1, label: 'duplicate key' }).execute();
    }),
    /duplicate key/,
  );
  await assert.rejects(db.insertInto('item').values({ id: 1, label: 'duplicate key' }).execute(), /duplicate key/);
  await assert.rejects(db.transaction().setIsolationLevel('snapshot').execute(async () => undefined), /snapshot/i);
  const ids = await db.selectFrom('item').select('id').orderBy('id').execute();
  assert.deepEqual(ids, [{ id: 1 }]);
  await db.transaction().setIsolationLevel('serializable').execute(async (trx) => {
    const [level] = (await sql<{ transaction_isolation: string }>`show transaction_isolation`.execute(trx)).rows;
    assert.equal(level?.transaction_isolation, 'serializable');
  });
  await db.destroy();
});

test('concurrent users take turns: a transaction sees no statement of another inside it', async () => {
  const { db } = await database();
  await db.insertInto('item').values({ id: 1, label: '0' }).execute();
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const slow = db.transaction().execute(async (trx) => {
    order.push('slow begins');
    await trx.updateTable('item').set({ label: 'slow' }).where('id', '=', 1).execute();
    await held;
    order.push('slow commits');
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const reader = db
    .selectFrom('item')
    .select('label')
    .executeTakeFirstOrThrow()
    .then((row) => order.push(`reader sees ${row.label}`));
  const writer = db.transaction().execute(async (trx) => {
    order.push('second transaction begins');
    await trx.updateTable('item').set({ label: 'second' }).where('id', '=', 1).execute();
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(order, ['slow begins'], 'the others wait for the connection');
  release();
  await Promise.all([slow, reader, writer]);
  assert.deepEqual(order, ['slow begins', 'slow commits', 'reader sees slow', 'second transaction begins']);
  assert.equal((await db.selectFrom('item').select('label').executeTakeFirstOrThrow()).label, 'second');
  await db.destroy();
});
