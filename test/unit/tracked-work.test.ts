/** Background work: failures reach the handler, and idle() waits for work started while it waited. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JoinedRun, TrackedWork } from '../../src/kernel/tracked-work.ts';

test('idle waits for everything, including work started by work; a failure goes to the handler with its context', async () => {
  const failures: Array<[string, unknown]> = [];
  const work = new TrackedWork((error, context) => failures.push([(error as Error).message, context?.what]));
  const done: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  void work.track(
    gate.then(() => {
      done.push('first');
      void work.track(Promise.resolve().then(() => done.push('second')));
    }),
  );
  const failed = await Promise.all([work.track(Promise.reject(new Error('boom')), { what: 'pricing' }), (async () => release())()]);
  await work.idle();
  assert.deepEqual(done, ['first', 'second']);
  assert.equal(failed[0], undefined, 'a failure resolves to undefined');
  assert.deepEqual(failures, [['boom', 'pricing']]);
  await work.idle();
});

test('a run asked for while one is under way joins it; the next one after it starts anew', async () => {
  const runs = new JoinedRun<number>();
  let started = 0;
  let finish!: (n: number) => void;
  const work = () => (started++, new Promise<number>((resolve) => (finish = resolve)));
  const first = runs.run(work);
  const joined = runs.run(work);
  assert.equal(started, 1, 'the second call joined the first');
  finish(7);
  assert.deepEqual(await Promise.all([first, joined]), [7, 7]);
  const next = runs.run(work);
  assert.equal(started, 2);
  finish(8);
  assert.equal(await next, 8);
});
