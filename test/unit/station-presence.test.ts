/** Last-seen times: exact in memory, written when the stored one is stale and when the station leaves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StationPresence } from '../../src/capabilities/stations/station-presence-service.ts';
import type { StationRepository } from '../../src/capabilities/stations/station-repository.ts';

test('a busy station is written once per staleness period, and once more when it disconnects', async () => {
  const writes: Array<Record<string, string>> = [];
  const repo = { touchMany: async (batch: Map<string, Date>) => void writes.push(Object.fromEntries([...batch].map(([id, at]) => [id, at.toISOString()]))) } as unknown as StationRepository;
  const presence = new StationPresence(repo, 1000, (error) => assert.fail(String(error)), 30_000);
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

  presence.seen('A', t(0));
  await presence.flush();
  for (let s = 1; s < 30; s++) {
    presence.seen('A', t(s));
    await presence.flush();
  }
  assert.deepEqual(writes, [{ A: t(0).toISOString() }], 'fresh enough: not written again');
  assert.equal(presence.lastSeen('A')?.getTime(), t(29).getTime(), 'the exact time is kept in memory');

  presence.seen('A', t(30));
  await presence.flush();
  assert.deepEqual(writes.at(-1), { A: t(30).toISOString() }, 'stale: written');

  presence.seen('A', t(31));
  presence.settle('A');
  await presence.flush();
  assert.deepEqual(writes.at(-1), { A: t(31).toISOString() }, 'the last time is written when the station leaves');
  assert.equal(writes.length, 3);
});
