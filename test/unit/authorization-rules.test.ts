import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAutochargeToken, judgeAutochargeUse } from '../../src/capabilities/authorization/authorization-autocharge.ts';
import { decideLocalListUpdate } from '../../src/capabilities/authorization/authorization-local-list.ts';

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
  ];
  for (const [name, state, expected] of table) assert.equal(decideLocalListUpdate(state), expected, name);
});
