/** Device-model core decisions, table-tested: report assembly, answers, quiet reports, keys, read/write folding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterAnswer, afterPart, isQuiet, lastSeqNoAfter, markIncomplete, newReport, partProblem } from '../../src/capabilities/device-model/device-model-report.ts';
import { dialectOfCommand, entryFromSet, identityOf2x, parseKey2x } from '../../src/capabilities/device-model/device-model.ts';
import { replacesAll } from '../../src/capabilities/device-model/device-model-commands.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
const base = () => newReport({ id: 'r', stationId: 'S', tenantId: 't', kind: 'inventory', requestId: 1, criteria: {}, replaces: true, commandType: 'getBaseReport', at: at(0) });

test('a report completes when the last part and every part before it arrived, in any order', () => {
  const rows: Array<{ order: Array<[number, boolean]>; states: string[] }> = [
    { order: [[0, true], [1, true], [2, false]], states: ['receiving', 'receiving', 'complete'] },
    { order: [[2, false], [0, true], [1, true]], states: ['receiving', 'receiving', 'complete'] },
    { order: [[0, false]], states: ['complete'] },
    { order: [[1, false], [5, true]], states: ['receiving', 'receiving'] },
  ];
  for (const row of rows) {
    let report = base();
    const seen = new Set<number>();
    const states: string[] = [];
    for (const [seqNo, tbc] of row.order) {
      seen.add(seqNo);
      const last = lastSeqNoAfter(report, { seqNo, tbc });
      const upTo = last === null ? 0 : [...seen].filter((s) => s <= last).length;
      report = afterPart(report, { seqNo, tbc, generatedAt: null, items: 1 }, upTo, at(seqNo + 1));
      states.push(report.state);
    }
    assert.deepEqual(states, row.states, JSON.stringify(row.order));
  }
});

test('answers: refused, failed, empty, and a part that came first is not undone', () => {
  const answer = (outcome: 'accepted' | 'rejected' | 'failed', empty = false) => ({ outcome, stationStatus: 'X', empty, commandId: 'c' });
  assert.equal(afterAnswer(base(), answer('rejected'), at(1)).state, 'rejected');
  assert.equal(afterAnswer(base(), answer('failed'), at(1)).state, 'failed');
  assert.equal(afterAnswer(base(), answer('accepted', true), at(1)).state, 'complete');
  const receiving = afterPart(base(), { seqNo: 0, tbc: true, generatedAt: null, items: 3 }, 0, at(1));
  assert.equal(afterAnswer(receiving, answer('accepted'), at(2)).state, 'receiving');
});

test('quiet and superseded reports become incomplete; closed ones stay', () => {
  assert.equal(isQuiet(base(), at(599), 600_000), false);
  assert.equal(isQuiet(base(), at(600), 600_000), true);
  assert.equal(markIncomplete(base(), 'why', at(1)).state, 'incomplete');
  const rejected = afterAnswer(base(), { outcome: 'rejected', stationStatus: 'Rejected', empty: false, commandId: 'c' }, at(1));
  assert.equal(isQuiet(rejected, at(10_000), 1), false);
  assert.equal(markIncomplete(rejected, 'why', at(2)).state, 'rejected');
  assert.equal(partProblem({ seqNo: -1 }) !== null && partProblem({ seqNo: 2 ** 31 }) !== null && partProblem({ seqNo: 0 }) === null, true);
});

test('keys, identities and what replaces', () => {
  assert.deepEqual(parseKey2x('EVSE[2]/Power[max]'), { component: { name: 'EVSE', instance: '2', evseId: null, connectorId: null }, variable: { name: 'Power', instance: 'max' } });
  assert.equal(parseKey2x('NoSlash'), null);
  const a = identityOf2x({ name: 'A', instance: null, evseId: 1, connectorId: null }, { name: 'B', instance: null });
  assert.equal(a, identityOf2x({ name: 'a', instance: null, evseId: 1, connectorId: null }, { name: 'b', instance: null }));
  assert.notEqual(a, identityOf2x({ name: 'A', instance: null, evseId: 2, connectorId: null }, { name: 'B', instance: null }));
  assert.equal(replacesAll('inventory', { reportBase: 'FullInventory' }), true);
  assert.equal(replacesAll('inventory', { reportBase: 'SummaryInventory' }), false);
  assert.equal(replacesAll('monitoring', {}), true);
  assert.equal(replacesAll('monitoring', { monitoringCriteria: ['DeltaMonitoring'] }), false);
});

test('a write that needs a reboot is remembered but does not change the value', () => {
  const ctx = { stationId: 'S', tenantId: 't', dialect: '2.x' as const, at: at(1) };
  const pending = entryFromSet(null, { key: 'A/B', value: '5', status: 'RebootRequired', accepted: true }, ctx);
  assert.deepEqual([pending?.attributes, pending?.lastSet?.status], [[], 'RebootRequired']);
  const done = entryFromSet(null, { key: 'A/B', value: '5', status: 'Accepted', accepted: true }, ctx);
  assert.deepEqual([done?.attributes[0]?.value, done?.source], ['5', 'setVariables']);
  assert.equal(entryFromSet(null, { key: 'no-slash', value: '5', status: 'Accepted', accepted: true }, ctx), null);
});

test('a configuration command is read in the dialect its keys are written in, whatever the station speaks now', () => {
  assert.equal(dialectOfCommand({}), '1.6', 'only 1.6 reads every key without naming one');
  assert.equal(dialectOfCommand({ keys: ['HeartbeatInterval'] }), '1.6');
  assert.equal(dialectOfCommand({ keys: ['OCPPCommCtrlr/HeartbeatInterval'] }), '2.x');
  assert.equal(dialectOfCommand({ key: 'EVSE[1]/Power[Max]' }), '2.x');
  assert.equal(dialectOfCommand({ key: 'MeterValueSampleInterval' }), '1.6');
});
