/** Commands core: pure decisions, table-driven. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyEvent,
  checkCommand,
  decideDelivery,
  describeFailure,
  isFinal,
  newCommand,
  readyForCommands,
  type Command,
  type CommandEvent,
  type CommandInput,
  type CommandState,
} from '../../src/capabilities/commands/command.ts';

const t0 = new Date('2026-05-01T12:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const base = newCommand('00000000-0000-4000-8000-000000000001', 'CP-1', { type: 'reset', params: { mode: 'soft' } }, t0, 60);
const inState = (state: CommandState, extra: Partial<Command> = {}): Command => ({ ...base, state, ...extra }) as Command;

test('a new command is queued, unsent, and expires after its lifetime', () => {
  assert.equal(base.state, 'queued');
  assert.deepEqual([base.sentAt, base.answeredAt, base.response, base.error, base.attempts], [null, null, null, null, 0]);
  assert.equal(base.expiresAt.toISOString(), '2026-05-01T12:01:00.000Z');
  assert.deepEqual([base.type, base.params], ['reset', { mode: 'soft' }]);
});

test('parameter rules the schema cannot state', () => {
  const cases: Array<[CommandInput, string | null]> = [
    [{ type: 'start', params: { idToken: 'T1' } }, null],
    [{ type: 'start', params: { idToken: 'T1', evseId: 1, connectorId: 1 } }, null],
    [{ type: 'start', params: { idToken: 'T1', connectorId: 1 } }, 'connectorId needs evseId'],
    [{ type: 'changeAvailability', params: { operational: false, connectorId: 2 } }, 'connectorId needs evseId'],
    [{ type: 'trigger', params: { message: 'status', connectorId: 1 } }, 'connectorId needs evseId'],
    [{ type: 'unlock', params: { evseId: 2, connectorId: 1 } }, null],
    [{ type: 'getConfiguration', params: { keys: ['A', ' '] } }, 'keys must not be empty'],
    [{ type: 'getConfiguration', params: {} }, null],
    [{ type: 'setConfiguration', params: { key: '  ', value: '1' } }, 'key must not be empty'],
    [{ type: 'stop', params: { transactionId: ' ' } }, 'transactionId must not be empty'],
    [{ type: 'clearCache', params: {} }, null],
  ];
  for (const [input, expected] of cases) {
    const problem = checkCommand(input);
    if (expected === null) assert.equal(problem, null, JSON.stringify(input));
    else assert.match(problem ?? '', new RegExp(expected), JSON.stringify(input));
  }
});

test('delivery decision: deliver a queued command in time, expire it after, skip anything else', () => {
  const cases: Array<[CommandState, number, string]> = [
    ['queued', 0, 'deliver'],
    ['queued', 59.999, 'deliver'],
    ['queued', 60, 'expire'],
    ['queued', 3600, 'expire'],
    ['sent', 0, 'skip'],
    ['accepted', 0, 'skip'],
    ['rejected', 0, 'skip'],
    ['failed', 0, 'skip'],
    ['expired', 120, 'skip'],
  ];
  for (const [state, seconds, expected] of cases) assert.equal(decideDelivery(inState(state), at(seconds)), expected, `${state} at +${seconds}s`);
});

test('the lifecycle state machine', () => {
  const answer = (status: string, accepted: boolean): CommandEvent => ({ kind: 'answered', at: at(2), answer: { status }, accepted });
  type Row = [CommandState, CommandEvent, CommandState | 'refused', string?];
  const table: Row[] = [
    ['queued', { kind: 'sent', at: at(1) }, 'sent'],
    ['queued', { kind: 'sent', at: at(61) }, 'refused', 'expired'],
    ['queued', { kind: 'expired', at: at(60) }, 'expired'],
    ['queued', { kind: 'expired', at: at(30) }, 'refused', 'valid until'],
    ['queued', { kind: 'failed', at: at(1), error: 'Untranslatable: x' }, 'failed'],
    ['queued', answer('Accepted', true), 'refused', 'only a sent command'],
    ['sent', answer('Accepted', true), 'accepted'],
    ['sent', answer('Unlocked', true), 'accepted'],
    ['sent', answer('Rejected', false), 'rejected'],
    ['sent', { kind: 'failed', at: at(2), error: 'Timeout: x' }, 'failed'],
    ['sent', { kind: 'sent', at: at(2) }, 'refused', 'never re-sent'],
    ['sent', { kind: 'expired', at: at(90) }, 'refused', 'undelivered'],
    ['accepted', { kind: 'failed', at: at(3), error: 'x' }, 'refused', 'final'],
    ['rejected', answer('Accepted', true), 'refused', 'final'],
    ['failed', { kind: 'sent', at: at(3) }, 'refused', 'final'],
    ['expired', { kind: 'sent', at: at(3) }, 'refused', 'final'],
  ];
  for (const [from, event, to, why] of table) {
    const result = applyEvent(inState(from, from === 'sent' ? { sentAt: at(1), attempts: 1 } : {}), event);
    const label = `${from} + ${event.kind}`;
    if (to === 'refused') {
      assert.equal(result.ok, false, label);
      if (!result.ok && why) assert.match(result.reason, new RegExp(why), label);
      continue;
    }
    assert.ok(result.ok, label);
    assert.equal(result.command.state, to, label);
    assert.equal(isFinal(to), to !== 'sent', label);
  }
});

test('transitions record when and what', () => {
  const sent = applyEvent(base, { kind: 'sent', at: at(1) });
  assert.ok(sent.ok);
  assert.deepEqual([sent.command.sentAt, sent.command.attempts], [at(1), 1]);
  const answered = applyEvent(sent.command, { kind: 'answered', at: at(2), answer: { status: 'Rejected', reason: { code: 'Busy' } }, accepted: false });
  assert.ok(answered.ok);
  assert.deepEqual([answered.command.state, answered.command.answeredAt, answered.command.response], ['rejected', at(2), { status: 'Rejected', reason: { code: 'Busy' } }]);
  const failed = applyEvent(sent.command, { kind: 'failed', at: at(3), error: 'NotSupported: no' });
  assert.ok(failed.ok);
  assert.deepEqual([failed.command.error, failed.command.answeredAt, failed.command.response], ['NotSupported: no', at(3), null]);
  const expired = applyEvent(base, { kind: 'expired', at: at(60) });
  assert.ok(expired.ok);
  assert.deepEqual([expired.command.sentAt, expired.command.answeredAt, expired.command.attempts], [null, null, 0]);
});

test('failure texts start with the code', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['Timeout', 'Reset got no answer within 500 ms', /^Timeout: the station did not answer/],
    ['StationOffline', 'connection closed: 1006', /^StationOffline: .*outcome unknown/],
    ['InvalidRequest', '/idTag must NOT have more than 20 characters', /^InvalidRequest: .*not sent/],
    ['NotSupported', 'no such thing', /^NotSupported: no such thing$/],
  ];
  for (const [code, message, expected] of cases) assert.match(describeFailure(code, message), expected);
});

test('a station takes commands after booting on this connection, or after the grace without a boot', () => {
  const connectedAt = at(0);
  const grace = 1000;
  type Row = [string, { at: Date; status: string } | null, number, boolean];
  const table: Row[] = [
    ['just connected, no boot', null, 0.1, false],
    ['no boot, grace passed', null, 1, true],
    ['booted Accepted on this connection', { at: at(0.05), status: 'Accepted' }, 0.1, true],
    ['booted Pending on this connection', { at: at(0.05), status: 'Pending' }, 0.1, true],
    ['booted Rejected on this connection', { at: at(0.05), status: 'Rejected' }, 60, false],
    ['a boot from an earlier connection does not count', { at: at(-30), status: 'Accepted' }, 0.1, false],
    ['a Rejected boot from an earlier connection does not block', { at: at(-30), status: 'Rejected' }, 2, true],
  ];
  for (const [label, lastBoot, nowSec, ready] of table) assert.equal(readyForCommands({ connectedAt, lastBoot }, at(nowSec), grace), ready, label);
});
