/** KeyedQueue: work for one key never interleaves, a failure does not stop the next, other keys run side by side. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedQueue } from '../../src/kernel/keyed-queue.ts';

test('one key runs in order, a failed step does not block the next; another key does not wait', async () => {
  const queue = new KeyedQueue();
  const log: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const first = queue.run('A', async () => {
    log.push('A1 start');
    await gate;
    log.push('A1 end');
  });
  const failing = queue.run('A', async () => {
    log.push('A2');
    throw new Error('boom');
  });
  const third = queue.run('A', async () => {
    log.push('A3');
    return 3;
  });
  const other = queue.run('B', async () => {
    log.push('B1');
    return 'b';
  });
  assert.equal(await other, 'b');
  assert.deepEqual(log, ['A1 start', 'B1'], 'B ran while A1 waited; A2 had not started');
  release();
  await first;
  await assert.rejects(failing, /boom/);
  assert.equal(await third, 3);
  assert.deepEqual(log, ['A1 start', 'B1', 'A1 end', 'A2', 'A3']);
  await queue.idle();
});
