/** Boot-triggered reconciliations: at most `limit` at once, the rest in boot order; a slot comes back when one settles or after its hold time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BootThrottle } from '../../src/capabilities/config-templates/config-template-boot-throttle-service.ts';
import { FakeTime } from '../support/fake-time.ts';

test('beyond the limit, stations wait in boot order; a settled one lets the next start; a station is never queued twice', () => {
  const time = new FakeTime();
  const throttle = new BootThrottle(time.timers, 2, 60_000);
  const started: string[] = [];
  for (const id of ['A', 'B', 'C', 'D', 'C']) throttle.enter(id, () => started.push(id));
  assert.deepEqual(started, ['A', 'B']);
  assert.deepEqual([throttle.running, throttle.queued], [2, 2], 'C is waiting once, D after it');
  throttle.leave('B');
  assert.deepEqual(started, ['A', 'B', 'C']);
  throttle.leave('X');
  assert.deepEqual(started, ['A', 'B', 'C'], 'a station without a slot frees nothing');
  throttle.leave('A');
  assert.deepEqual(started, ['A', 'B', 'C', 'D']);
  assert.deepEqual([throttle.running, throttle.queued], [2, 0]);
});

test('a reconciliation that never settles gives its slot back after the hold time', async () => {
  const time = new FakeTime();
  const throttle = new BootThrottle(time.timers, 1, 60_000);
  const started: string[] = [];
  throttle.enter('A', () => started.push('A'));
  throttle.enter('B', () => started.push('B'));
  await time.advance(59_999);
  assert.deepEqual(started, ['A'], 'not before the hold time');
  await time.advance(1);
  assert.deepEqual(started, ['A', 'B']);
});

test('a station that boots again while its reconciliation runs is reconciled once more after it', () => {
  const time = new FakeTime();
  const throttle = new BootThrottle(time.timers, 1, 60_000);
  const started: string[] = [];
  throttle.enter('A', () => started.push('A1'));
  throttle.enter('A', () => started.push('A2'));
  throttle.enter('A', () => started.push('A3'));
  assert.deepEqual(started, ['A1']);
  throttle.leave('A');
  assert.deepEqual(started, ['A1', 'A3'], 'the latest boot runs, once');
  throttle.leave('A');
  assert.deepEqual([throttle.running, throttle.queued], [0, 0]);
});
