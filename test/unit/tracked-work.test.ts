/** Background work: failures reach the handler, and idle() waits for work started while it waited. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrackedWork } from '../../src/kernel/tracked-work.ts';

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
