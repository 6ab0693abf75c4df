/**
 * The verified-password cache (station-password-service.ts): a bounded LRU of
 * HMACs. When full it drops the station that connected least recently; it
 * never empties itself, so a fleet larger than the cache keeps its recently
 * connected stations cached.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VerifiedPasswordCache } from '../../src/capabilities/stations/station-password-service.ts';

const HASH = 'scrypt$4096$8$1$c2FsdA==$a2V5';

test('a verified pair is remembered; another password, a changed hash or a forgotten station is not', () => {
  const cache = new VerifiedPasswordCache(10);
  assert.equal(cache.has('CP-1', HASH, 'secret-password-1'), false);
  cache.remember('CP-1', HASH, 'secret-password-1');
  assert.equal(cache.has('CP-1', HASH, 'secret-password-1'), true);
  assert.equal(cache.has('CP-1', HASH, 'secret-password-2'), false, 'another password');
  assert.equal(cache.has('CP-1', `${HASH}x`, 'secret-password-1'), false, 'the stored hash changed (password set again)');
  assert.equal(cache.has('CP-2', HASH, 'secret-password-1'), false, 'another station');
  cache.forget('CP-1');
  assert.equal(cache.has('CP-1', HASH, 'secret-password-1'), false);
});

test('a full cache drops the least recently used station and keeps the recent ones', () => {
  const cache = new VerifiedPasswordCache(3);
  cache.remember('CP-1', HASH, 'password-of-cp-1');
  cache.remember('CP-2', HASH, 'password-of-cp-2');
  cache.remember('CP-3', HASH, 'password-of-cp-3');
  // CP-1 reconnects: now CP-2 is the least recently used.
  assert.equal(cache.has('CP-1', HASH, 'password-of-cp-1'), true);
  cache.remember('CP-4', HASH, 'password-of-cp-4');
  assert.equal(cache.size, 3, 'bounded');
  assert.equal(cache.has('CP-2', HASH, 'password-of-cp-2'), false, 'the least recently used is gone');
  for (const id of ['CP-1', 'CP-3', 'CP-4']) assert.equal(cache.has(id, HASH, `password-of-${id.toLowerCase()}`), true, `${id} is kept`);
});

test('a fleet larger than the cache keeps the most recent stations (the cache never empties itself)', () => {
  const cache = new VerifiedPasswordCache(100);
  for (let i = 0; i < 1000; i++) cache.remember(`CP-${i}`, HASH, `password-${i}`);
  assert.equal(cache.size, 100);
  for (let i = 900; i < 1000; i++) assert.equal(cache.has(`CP-${i}`, HASH, `password-${i}`), true, `CP-${i}`);
  assert.equal(cache.has('CP-899', HASH, 'password-899'), false);
});
