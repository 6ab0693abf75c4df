/** Leases behave the same on PGlite and PostgreSQL: one holder at a time, renewal, expiry, release. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { SqlLeases } from '../../src/cluster/lease-sql.ts';
import { SingletonJob } from '../../src/cluster/lease.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';
import { eventually } from '../support/harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = pino({ level: 'silent' });

for (const target of storageTargets) {
  describe(`leases on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let a: SqlLeases;
    let b: SqlLeases;
    before(async () => {
      storage = await target.open();
      a = new SqlLeases(storage.db, 'node-a');
      b = new SqlLeases(storage.db, 'node-b');
    });
    after(async () => {
      await storage?.close();
    });

    test('one holder at a time; the holder renews; release hands it over', async () => {
      assert.equal(await a.acquire('job-1', 10_000), true);
      assert.equal(await b.acquire('job-1', 10_000), false);
      assert.equal(await a.acquire('job-1', 10_000), true);
      assert.equal(await b.holderOf('job-1'), 'node-a');
      // Another job name is another lease.
      assert.equal(await b.acquire('job-2', 10_000), true);
      await b.release('job-1'); // not the holder: no effect
      assert.equal(await b.acquire('job-1', 10_000), false);
      await a.release('job-1');
      assert.equal(await b.acquire('job-1', 10_000), true);
      assert.equal(await a.acquire('job-1', 10_000), false);
    });

    test('a lease that ran out is taken over, and the old holder has lost it', async () => {
      assert.equal(await a.acquire('job-3', 100), true);
      assert.equal(await b.acquire('job-3', 100), false);
      await sleep(150);
      assert.equal(await b.acquire('job-3', 10_000), true);
      assert.equal(await a.acquire('job-3', 10_000), false);
      assert.equal(await a.holderOf('job-3'), 'node-b');
    });

    test('a singleton job works on one node only, and on the other once the first stops', async () => {
      const runs = { a: 0, b: 0 };
      const jobA = new SingletonJob(a, { name: 'sweep', intervalMs: 20, ttlMs: 300, log }, async () => void runs.a++);
      const jobB = new SingletonJob(b, { name: 'sweep', intervalMs: 20, ttlMs: 300, log }, async () => void runs.b++);
      await jobA.tick();
      jobA.start();
      jobB.start();
      await eventually(() => runs.a >= 10, 'ten runs of the job');
      assert.equal(runs.b, 0, 'the second node never ran the job while the first held it');
      await jobA.stop();
      const before = runs.a;
      await eventually(() => runs.b >= 3, 'the second node to take over');
      assert.equal(runs.a, before);
      await jobB.stop();
    });
  });
}
