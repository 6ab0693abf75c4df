import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAutochargeToken, judgeAutochargeUse } from '../../src/capabilities/authorization/authorization-autocharge.ts';
import { decideLocalListUpdate, positiveInteger, splitLocalListUpdate } from '../../src/capabilities/authorization/authorization-local-list.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, seconds));
const use = (stationId: string, siteId: string | null, seconds: number) => ({ idToken: 'VID:0A1B2C3D4E5F', stationId, siteId, at: at(seconds) });
const policy = { concurrentWindowSec: 120, travelWindowSec: 1800 };

test('Autocharge identifiers: MacAddress tokens and 1.6 "VID:" idTags', () => {
  assert.equal(isAutochargeToken('0A1B2C3D4E5F', 'MacAddress'), true);
  assert.equal(isAutochargeToken('VID:0A1B2C3D4E5F', null), true);
  assert.equal(isAutochargeToken('04A2B3C4D5', 'ISO14443'), false);
});

test('spoofing rules: same car on two stations at once, or on two sites too soon', () => {
  const table: Array<[string, ReturnType<typeof use> | undefined, ReturnType<typeof use>, string | null]> = [
    ['first use', undefined, use('A', 'north', 0), null],
    ['same station again', use('A', 'north', 0), use('A', 'north', 30), null],
    ['other station 60 s later', use('A', 'north', 0), use('B', 'north', 60), 'seen-on-two-stations'],
    ['other station on the same site 10 min later', use('A', 'north', 0), use('B', 'north', 600), null],
    ['other site 10 min later', use('A', 'north', 0), use('C', 'south', 600), 'impossible-travel'],
    ['other site 2 h later', use('A', 'north', 0), use('C', 'south', 7200), null],
  ];
  for (const [name, previous, next, expected] of table) assert.equal(judgeAutochargeUse(previous, next, policy), expected, name);
});

test('local list: nothing, a difference since a confirmed version, or the full list', () => {
  const table: Array<[string, Parameters<typeof decideLocalListUpdate>[0], string]> = [
    ['no list exists yet', { stationVersion: 0, confirmedVersion: null, currentVersion: 0 }, 'none'],
    ['station is current', { stationVersion: 7, confirmedVersion: 7, currentVersion: 7 }, 'none'],
    ['never synced', { stationVersion: 0, confirmedVersion: null, currentVersion: 7 }, 'full'],
    ['behind a version it confirmed', { stationVersion: 5, confirmedVersion: 5, currentVersion: 7 }, 'differential'],
    ['lost its list', { stationVersion: 0, confirmedVersion: 5, currentVersion: 7 }, 'full'],
    ['holds a version we never sent', { stationVersion: 3, confirmedVersion: 5, currentVersion: 7 }, 'full'],
    ['reports current after a partial update', { stationVersion: 7, confirmedVersion: null, currentVersion: 7, incomplete: true }, 'full'],
  ];
  for (const [name, state, expected] of table) assert.equal(decideLocalListUpdate(state), expected, name);
});

test('an update is split into parts of the station\'s size: the first keeps its kind, the rest are differential, all carry the version', () => {
  const entries = Array.from({ length: 7 }, (_, i) => ({ idToken: `T${i}`, type: 'ISO14443' as const, decision: null }));
  const parts = splitLocalListUpdate({ kind: 'full', version: 9, entries }, 3);
  assert.deepEqual(parts.map((p) => [p.kind, p.version, p.entries.length]), [['full', 9, 3], ['differential', 9, 3], ['differential', 9, 1]]);
  assert.deepEqual(parts.flatMap((p) => p.entries), entries);
  assert.equal(splitLocalListUpdate({ kind: 'full', version: 9, entries: [] }, 3).length, 1, 'an empty full list is one message');
  assert.equal(splitLocalListUpdate({ kind: 'differential', version: 9, entries }, 0).length, 7, 'a nonsensical limit still makes progress');
});

test('configuration values that are positive integers', () => {
  assert.deepEqual(['250', ' 12 ', '0', '-1', 'abc', '1e3', undefined].map(positiveInteger), [250, 12, null, null, null, null, null]);
});
