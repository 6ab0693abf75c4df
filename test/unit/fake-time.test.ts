import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTime } from '../support/fake-time.ts';

test('fake time runs due timers in order at their simulated moments, intervals repeat, cleared ones never run', async () => {
  const time = new FakeTime(new Date(Date.UTC(2026, 0, 1)));
  const ran: string[] = [];
  const at = () => time.clock().getTime() - Date.UTC(2026, 0, 1);
  time.timers.setInterval(() => ran.push(`tick@${at()}`), 200);
  time.timers.setTimeout(() => ran.push(`once@${at()}`), 300);
  const cancelled = time.timers.setTimeout(() => ran.push('never'), 100);
  time.timers.clearTimeout(cancelled);
  await time.advance(450);
  assert.deepEqual(ran, ['tick@200', 'once@300', 'tick@400']);
  assert.equal(at(), 450);
  assert.equal(time.pending, 1, 'the interval stays scheduled');
});
