import { commandFor, transactionQuestion } from '../../src/capabilities/stuck/stuck-steps.ts';
import { commandTranslators } from '../../src/capabilities/commands/index.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  advance,
  approve,
  attachCommand,
  closed,
  dismiss,
  openCase,
  type LadderContext,
  type LadderPolicy,
  type LadderStep,
  type StuckCase,
} from '../../src/capabilities/stuck/stuck-ladder.ts';

const t = (sec: number) => new Date(Date.UTC(2026, 0, 1, 10) + sec * 1000);
const ALL_AUTO: LadderPolicy = {
  automatic: { ask: true, stop: true, unlock: true, 'reset-soft': true, 'reset-hard': true, close: true },
  stepTimeoutSec: 30,
  resetWithOtherTransactions: false,
};

const ctx = (sec: number, change: Partial<LadderContext> = {}): LadderContext => ({
  now: t(sec),
  policy: ALL_AUTO,
  online: true,
  reasons: ['silent'],
  transactionClosed: false,
  otherHealthyTransaction: false,
  connectorUnplugged: false,
  connectorFree: false,
  command: null,
  ...change,
});

const fresh = () => openCase('case-1', { id: 'tx', stationId: 'S', evseId: 1 }, ['silent'], t(0));
const trail = (c: StuckCase) => c.steps.map((s) => `${s.step}:${s.outcome ?? 'running'}`);

/** Runs the ladder with a station that accepts every command and never closes the transaction. */
function climb(start: StuckCase, sec: number, change: Partial<LadderContext> = {}) {
  let c = start;
  const effects: string[] = [];
  for (let i = 0; i < 20 && c.status !== 'closed-by-backend'; i++) {
    const step = c.steps.at(-1);
    const command = step && step.endedAt === null && step.step !== 'close' ? { state: 'accepted' as const } : null;
    const { next, effect } = advance(c, ctx(sec, { command, ...change }));
    if (effect) effects.push(effect.kind === 'close' ? 'close' : effect.step);
    c = effect?.kind === 'close' ? closed(next, t(sec), 'estimated') : next;
    sec += 31;
  }
  return { c, effects };
}

test('ladder: a station that accepts everything but never closes climbs every rung, then the backend closes', () => {
  const { c, effects } = climb(fresh(), 0);
  assert.deepEqual(effects, ['ask', 'stop', 'unlock', 'reset-soft', 'reset-hard', 'close']);
  assert.deepEqual(trail(c), ['ask:accepted', 'stop:accepted', 'unlock:accepted', 'reset-soft:accepted', 'reset-hard:accepted', 'close:closed']);
  assert.equal(c.status, 'closed-by-backend');
});

test('ladder: a step waits for its timeout while the command is accepted', () => {
  let { next } = advance(fresh(), ctx(0));
  next = attachCommand(next, 'cmd-1');
  const waiting = advance(next, ctx(10, { command: { state: 'accepted' } }));
  assert.equal(waiting.effect, null);
  assert.equal(waiting.next.steps.at(-1)?.commandId, 'cmd-1');
});

test('ladder: a slow answer (command on the wire) is waited for; the effect gets the step time from the answer', () => {
  const { next } = advance(fresh(), ctx(0));
  assert.equal(advance(next, ctx(29, { command: { state: 'sent' } })).effect, null);
  assert.equal(advance(next, ctx(90, { command: { state: 'sent' } })).effect, null, 'still on the wire: the call timeout decides');
  assert.equal(advance(next, ctx(95, { command: { state: 'accepted', answeredAt: t(90) } })).effect, null, 'answered 5 s ago');
  const after = advance(next, ctx(120, { command: { state: 'accepted', answeredAt: t(90) } }));
  assert.deepEqual(trail(after.next), ['ask:accepted', 'stop:running']);
});

test('ladder: a command that never got on the wire times out with the step', () => {
  const { next } = advance(fresh(), ctx(0));
  const after = advance(next, ctx(30, { command: { state: 'queued' } }));
  assert.deepEqual(trail(after.next), ['ask:timeout', 'stop:running']);
});

test('ladder: rejected and failed commands move on at once', () => {
  let { next } = advance(fresh(), ctx(0));
  ({ next } = advance(next, ctx(1, { command: { state: 'failed', error: 'Timeout' } })));
  ({ next } = advance(next, ctx(2, { command: { state: 'rejected' } })));
  assert.deepEqual(trail(next), ['ask:failed', 'stop:rejected', 'unlock:running']);
  assert.equal(next.steps[0]?.detail, 'Timeout');
});

test('ladder: 2.x ongoingIndicator=false skips stop, unlock and reset and closes in the backend', () => {
  const { next } = advance(fresh(), ctx(0));
  const after = advance(next, ctx(1, { reasons: ['station-says-ended'], command: { state: 'accepted', ongoing: false, messagesInQueue: false } }));
  assert.deepEqual(trail(after.next), ['ask:station-says-ended', 'stop:skipped', 'unlock:skipped', 'reset-soft:skipped', 'reset-hard:skipped', 'close:running']);
  assert.deepEqual(after.effect, { kind: 'close' });
});

test('ladder: a transaction the station closes during a step resolves the case', () => {
  let { next } = advance(fresh(), ctx(0));
  ({ next } = advance(next, ctx(1, { command: { state: 'rejected' } })));
  const done = advance(next, ctx(5, { transactionClosed: true, command: { state: 'accepted' } }));
  assert.equal(done.next.status, 'resolved');
  assert.deepEqual(trail(done.next), ['ask:rejected', 'stop:transaction-closed']);
});

test('ladder: a transaction that shows life again clears the case (no stop, no reset)', () => {
  const { next } = advance(fresh(), ctx(0));
  const done = advance(next, ctx(3, { reasons: [], command: { state: 'accepted', ongoing: true } }));
  assert.equal(done.next.status, 'cleared');
  assert.deepEqual(trail(done.next), ['ask:still-ongoing']);
});

test('ladder: an unlock that frees the connector ends early; reset is skipped', () => {
  let c = fresh();
  ({ next: c } = advance(c, ctx(0)));
  ({ next: c } = advance(c, ctx(1, { command: { state: 'rejected' } })));
  ({ next: c } = advance(c, ctx(2, { command: { state: 'rejected' } })));
  const freed = advance(c, ctx(3, { connectorUnplugged: true, connectorFree: true, reasons: ['connector-free'], command: { state: 'accepted' } }));
  assert.deepEqual(trail(freed.next), ['ask:rejected', 'stop:rejected', 'unlock:connector-freed', 'reset-soft:skipped', 'reset-hard:skipped', 'close:running']);
});

test('ladder: 1.6 Finishing (cable still in) keeps unlock but never resets', () => {
  const { effects } = climb(fresh(), 0, { connectorFree: true, reasons: ['connector-free'] });
  assert.deepEqual(effects, ['ask', 'stop', 'unlock', 'close']);
});

test('ladder: never resets while another transaction on the station is healthy', () => {
  const { effects, c } = climb(fresh(), 0, { otherHealthyTransaction: true });
  assert.deepEqual(effects, ['ask', 'stop', 'unlock', 'close']);
  assert.equal(c.steps.find((s) => s.step === 'reset-soft')?.detail, 'another transaction on the station is healthy');
});

test('ladder: ... unless the site allows it', () => {
  const { effects } = climb(fresh(), 0, { otherHealthyTransaction: true, policy: { ...ALL_AUTO, resetWithOtherTransactions: true } });
  assert.deepEqual(effects, ['ask', 'stop', 'unlock', 'reset-soft', 'reset-hard', 'close']);
});

test('ladder: an offline station gets no commands; the backend closes', () => {
  const { next, effect } = advance(fresh(), ctx(0, { online: false, reasons: ['offline-too-long'] }));
  assert.deepEqual(effect, { kind: 'close' });
  assert.deepEqual(trail(next), ['ask:skipped', 'stop:skipped', 'unlock:skipped', 'reset-soft:skipped', 'reset-hard:skipped', 'close:running']);
});

test('ladder: a stop that arrived (whatever its reading) resolves the case; the books are never closed again', () => {
  const { next, effect } = advance(fresh(), ctx(0, { transactionClosed: true, reasons: [] }));
  assert.equal(effect, null);
  assert.equal(next.status, 'resolved');
});

test('ladder: manual steps wait for an operator; approve runs them, dismiss ends the case', () => {
  const manual: LadderPolicy = { ...ALL_AUTO, automatic: { ...ALL_AUTO.automatic, 'reset-soft': false, 'reset-hard': false, close: false } };
  let c = fresh();
  const effects: LadderStep[] = [];
  for (let sec = 0; sec < 200 && c.status === 'open'; sec += 31) {
    const step = c.steps.at(-1);
    const { next, effect } = advance(c, ctx(sec, { policy: manual, command: step && step.endedAt === null ? { state: 'accepted' } : null }));
    if (effect?.kind === 'command') effects.push(effect.step);
    c = next;
  }
  assert.deepEqual(effects, ['ask', 'stop', 'unlock']);
  assert.equal(c.status, 'awaiting-operator');
  assert.equal(c.pendingStep, 'reset-soft');
  assert.equal(advance(c, ctx(500, { policy: manual })).effect, null, 'still waiting without approval');
  const approved = approve(c, t(501));
  assert.ok(typeof approved !== 'string');
  const run = advance(approved, ctx(502, { policy: manual }));
  assert.deepEqual(run.effect, { kind: 'command', step: 'reset-soft' });
  const dismissed = dismiss(run.next, t(503));
  assert.ok(typeof dismissed !== 'string');
  assert.equal(dismissed.status, 'dismissed');
  assert.equal(typeof dismiss(dismissed, t(504)), 'string', 'a final case cannot be dismissed again');
  assert.equal(typeof approve(fresh(), t(0)), 'string', 'an open case has nothing to approve');
});

test('the ask step asks about the transaction where the version can, else for the connector status', () => {
  const tx = { id: 'tx-1', evseId: 2 };
  assert.deepEqual(commandFor('ask', tx, { answersTransactionQuestion: true }), { type: 'getTransactionStatus', params: { transactionId: 'tx-1' } });
  assert.deepEqual(commandFor('ask', tx, { answersTransactionQuestion: false }), { type: 'trigger', params: { message: 'status', evseId: 2 } });
  assert.deepEqual(commandFor('ask', { id: 'tx-2', evseId: null }, { answersTransactionQuestion: false }), { type: 'trigger', params: { message: 'status' } });
  // Which versions can: the commands capability's adapters say (1.6 has no GetTransactionStatus).
  assert.equal(commandTranslators['1.6'].toCall(transactionQuestion(tx)).ok, false);
  assert.equal(commandTranslators['2.0.1'].toCall(transactionQuestion(tx)).ok, true);
  assert.equal(commandTranslators['2.1'].toCall(transactionQuestion(tx)).ok, true);
});
