/** Customer information core: assembly of parts, flags, state and the parameter check (pure, table-tested). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_PARTS,
  REPORT_STALE_AFTER_MS,
  assemble,
  checkParams,
  flagsForPart,
  requestState,
  type CustomerInformationRequest,
  type ReportPart,
} from '../../src/capabilities/customer-information/customer-information.ts';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const p = (seqNo: number, data: string, tbc = true, ms = 0): ReportPart => ({ seqNo, data, tbc, generatedAt: t0, receivedAt: at(ms) });

test('assemble: by seqNo, from 0 or 1; complete only with the last part and no gap', () => {
  const rows: Array<[ReportPart[], string, boolean, number[]]> = [
    [[], '', false, []],
    [[p(0, 'a', false)], 'a', true, []],
    [[p(1, 'a'), p(2, 'b', false)], 'ab', true, []],
    [[p(2, 'c', false), p(0, 'a')], 'ac', false, [1]],
    [[p(0, 'a'), p(1, 'b')], 'ab', false, []],
    [[p(0, 'a'), p(3, 'd')], 'ad', false, [1, 2]],
  ];
  for (const [parts, data, complete, missing] of rows) {
    const report = assemble(parts);
    assert.deepEqual([report.data, report.complete, report.missingSeqNos, report.parts], [data, complete, missing, parts.length], JSON.stringify(parts));
  }
});

test('assemble names at most 20 gaps, however far a seqNo jumps', () => {
  assert.equal(assemble([p(0, 'a'), p(2_000_000_000, 'z', false)]).missingSeqNos.length, 20);
});

test('flagsForPart', () => {
  const none = { highestSeqNo: null, lastSeqNo: null, sameSeqNoData: null, count: 0 };
  assert.deepEqual(flagsForPart(p(0, 'a'), none), []);
  assert.deepEqual(flagsForPart(p(1, 'a'), { ...none, highestSeqNo: 3 }), ['outOfOrder']);
  assert.deepEqual(flagsForPart(p(1, 'a'), { ...none, highestSeqNo: 3, sameSeqNoData: 'a' }), [], 'a retransmission is no news');
  assert.deepEqual(flagsForPart(p(1, 'b'), { ...none, highestSeqNo: 3, sameSeqNoData: 'a' }), ['duplicateSeqNo']);
  assert.deepEqual(flagsForPart(p(4, 'a'), { ...none, highestSeqNo: 3, lastSeqNo: 3 }), ['partAfterLast']);
  assert.deepEqual(flagsForPart(p(MAX_PARTS, 'a'), { ...none, highestSeqNo: MAX_PARTS - 1, count: MAX_PARTS }), ['tooManyParts']);
});

test('requestState: a report whose tbc never ends becomes incomplete after the stale period', () => {
  const request: CustomerInformationRequest = {
    stationId: 'S',
    tenantId: 't',
    requestId: 1,
    requestedAt: t0,
    createdAt: t0,
    report: true,
    clear: false,
    subject: { customerIdentifier: 'c' },
    outcome: 'accepted',
    stationStatus: 'Accepted',
    answeredAt: t0,
    flags: [],
  };
  const receiving = assemble([p(0, 'a', true, 1000)]);
  assert.equal(requestState(request, assemble([]), at(1)), 'requested');
  assert.equal(requestState(request, receiving, at(REPORT_STALE_AFTER_MS)), 'receiving');
  assert.equal(requestState(request, receiving, at(REPORT_STALE_AFTER_MS + 1000)), 'incomplete');
  assert.equal(requestState(request, assemble([p(0, 'a', false)]), at(1)), 'complete');
  assert.equal(requestState({ ...request, outcome: 'rejected' }, assemble([]), at(1)), 'refused');
  assert.equal(requestState({ ...request, outcome: 'expired' }, assemble([]), at(1)), 'failed');
});

test('checkParams: report or clear, and a customer', () => {
  assert.equal(checkParams({ report: true, clear: false, customerIdentifier: 'c' }), null);
  assert.equal(checkParams({ report: false, clear: true, idToken: { idToken: 'x', type: 'ISO14443' } }), null);
  assert.match(checkParams({ report: false, clear: false, customerIdentifier: 'c' }) ?? '', /report or clear/);
  assert.match(checkParams({ report: true, clear: false }) ?? '', /name the customer/);
});
