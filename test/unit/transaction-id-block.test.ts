import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IssuedIdBlock } from '../../src/capabilities/transactions/transaction-id-block-service.ts';

test('1.6 transaction ids are taken a block at a time; starts that meet share one fetch, and none gets an id twice', async () => {
  let sequence = 0;
  const fetches: number[] = [];
  const block = new IssuedIdBlock(async (count) => {
    fetches.push(count);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return Array.from({ length: count }, () => ++sequence);
  }, 4);
  const ids = await Promise.all(Array.from({ length: 10 }, () => block.allocate()));
  assert.equal(new Set(ids).size, 10);
  assert.deepEqual([...ids].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(fetches, [4, 4, 4], 'ten ids from three blocks of four');
  assert.equal(await block.allocate(), 11, 'the rest of the last block is used before another fetch');
  assert.equal(fetches.length, 3);
});

test('a failed fetch fails the starts waiting on it, and the next start fetches again', async () => {
  let fail = true;
  const block = new IssuedIdBlock(async (count) => {
    if (fail) throw new Error('database away');
    return Array.from({ length: count }, (_, i) => 100 + i);
  }, 2);
  await assert.rejects(block.allocate(), /database away/);
  fail = false;
  assert.equal(await block.allocate(), 100);
});
