/** Display messages core: report parts, report state and parameter rules (pure, table-tested). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_REPORT_PARTS,
  REPORT_STALE_AFTER_MS,
  applyReportPart,
  checkGetParams,
  checkSetParams,
  reportState,
  reportsEverything,
  unrequestedReport,
  type DisplayReportRecord,
} from '../../src/capabilities/display-messages/display-message.ts';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const requested: DisplayReportRecord = { ...unrequestedReport('S', 't', 1), requestedAt: t0, flags: [] };

test('parts: counted, the last one completes, a part after it is flagged', () => {
  const one = applyReportPart(requested, { messages: 2, last: false, at: at(1) });
  assert.deepEqual([one.keepMessages, one.report.parts, one.report.messages, one.report.lastPartReceived, one.report.firstPartAt], [true, 1, 2, false, at(1)]);
  const two = applyReportPart(one.report, { messages: 1, last: true, at: at(2) });
  assert.deepEqual([two.report.parts, two.report.messages, two.report.lastPartReceived, two.report.lastPartAt, two.report.flags], [2, 3, true, at(2), []]);
  const late = applyReportPart(two.report, { messages: 1, last: true, at: at(3) });
  assert.deepEqual(late.report.flags, ['partAfterLast']);
});

test('a report nobody asked for is flagged; past the part limit messages are dropped', () => {
  assert.deepEqual(applyReportPart(unrequestedReport('S', 't', 7), { messages: 1, last: true, at: t0 }).report.flags, ['unrequested']);
  const full = { ...requested, parts: MAX_REPORT_PARTS };
  const next = applyReportPart(full, { messages: 5, last: false, at: t0 });
  assert.deepEqual([next.keepMessages, next.report.messages, next.report.flags], [false, 0, ['tooManyParts']]);
});

test('reportState', () => {
  assert.equal(reportState(requested, at(1)), 'requested');
  assert.equal(reportState({ ...requested, parts: 1, lastPartAt: at(1) }, at(REPORT_STALE_AFTER_MS)), 'receiving');
  assert.equal(reportState({ ...requested, parts: 1, lastPartAt: at(1) }, at(REPORT_STALE_AFTER_MS + 1)), 'incomplete');
  assert.equal(reportState(requested, at(REPORT_STALE_AFTER_MS)), 'incomplete');
  assert.equal(reportState({ ...requested, parts: 2, lastPartReceived: true }, at(1)), 'complete');
  assert.equal(reportState({ ...requested, answer: 'rejected' }, at(1)), 'noMessages');
  assert.equal(reportState({ ...requested, answer: 'failed' }, at(1)), 'failed');
});

test('only a requested report without filters tells what the station lacks', () => {
  assert.equal(reportsEverything(requested), true);
  assert.equal(reportsEverything({ ...requested, filters: { ids: [1] } }), false);
  assert.equal(reportsEverything({ ...requested, filters: { state: 'idle' } }), false);
  assert.equal(reportsEverything(unrequestedReport('S', 't', 2)), false);
});

test('parameter rules', () => {
  const base = { priority: 'inFront' as const, message: { format: 'utf8' as const, content: 'x' } };
  assert.equal(checkSetParams(base), null);
  assert.match(checkSetParams({ ...base, startDateTime: '2026-03-01T10:00:00Z', endDateTime: '2026-03-01T09:00:00Z' }) ?? '', /endDateTime must be after/);
  assert.match(checkSetParams({ ...base, display: { name: 'D', connectorId: 1 } }) ?? '', /needs display.evseId/);
  assert.match(checkSetParams({ ...base, message: { format: 'utf8', content: '' } }) ?? '', /must not be empty/);
  assert.equal(checkGetParams({ ids: [1, 2] }), null);
  assert.match(checkGetParams({ ids: [1, 1] }) ?? '', /must not repeat/);
});
