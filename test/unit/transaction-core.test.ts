import { test } from 'node:test';
import assert from 'node:assert/strict';
import { energyWh, mergeObservation, type Transaction, type TransactionObservation } from '../../src/capabilities/transactions/transaction.ts';
import { decide, type AuthorizationDecision, type IdToken } from '../../src/capabilities/authorization/authorization.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
const energy = (minute: number, wh: number, context: string | null = null) => ({
  at: t(minute), measurand: 'Energy.Active.Import.Register', phase: null, location: null, context, value: wh, unit: 'Wh',
});
const ctx = { newId: 'tx-1', now: t(59), stationId: 'S', tenantId: 'default', ocppVersion: '2.0.1', tokenStatus: 'Accepted' as AuthorizationDecision | undefined };

const EVENTS: TransactionObservation[] = [
  { kind: 'started', ocppTransactionId: 'A', at: t(0), evseId: 1, connectorId: 1, idToken: { value: 'TAG', type: 'ISO14443' }, seqNo: 0, offline: false, samples: [energy(0, 1000, 'Transaction.Begin')], chargingState: 'Charging' },
  { kind: 'updated', ocppTransactionId: 'A', at: t(10), seqNo: 1, offline: false, samples: [energy(10, 2500)], chargingState: 'SuspendedEV' },
  { kind: 'updated', ocppTransactionId: 'A', at: t(20), seqNo: 2, offline: true, samples: [energy(20, 4000)] },
  { kind: 'ended', ocppTransactionId: 'A', at: t(30), seqNo: 3, offline: false, stopReason: 'EVDisconnected', samples: [energy(30, 5000, 'Transaction.End')], chargingState: 'Idle' },
];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const facts = (tx: Transaction) => ({
  state: tx.state, startedAt: tx.startedAt, stoppedAt: tx.stoppedAt, meterStartWh: tx.meterStartWh, meterStopWh: tx.meterStopWh,
  energy: energyWh(tx), idToken: tx.idToken, evseId: tx.evseId, stopReason: tx.stopReason, offline: tx.offline, flags: tx.flags, seq: [tx.seqNoCount, tx.maxSeqNo],
});

test('every arrival order of the same events converges on the same transaction', () => {
  const expected = {
    state: 'completed', startedAt: t(0), stoppedAt: t(30), meterStartWh: 1000, meterStopWh: 5000, energy: 4000,
    idToken: 'TAG', evseId: 1, stopReason: 'EVDisconnected', offline: true, flags: [], seq: [4, 3],
  };
  const orders = permutations(EVENTS);
  assert.equal(orders.length, 24);
  for (const order of orders) {
    const tx = order.reduce<Transaction | null>((current, obs) => mergeObservation(current, obs, ctx), null) as Transaction;
    assert.deepEqual(facts(tx), expected, order.map((o) => o.seqNo).join(','));
  }
});

test('flags: missing start, seqNo gap, meter going backwards, token problems', () => {
  const [started, , , ended] = EVENTS as [TransactionObservation, TransactionObservation, TransactionObservation, TransactionObservation];
  assert.deepEqual(mergeObservation(null, ended, ctx).flags, ['missing-start', 'seqno-gap']);
  const backwards = mergeObservation(mergeObservation(null, started, ctx), { ...ended, seqNo: 1, samples: [energy(30, 900)] }, ctx);
  assert.deepEqual(backwards.flags, ['meter-went-backwards']);
  assert.equal(energyWh(backwards), null);
  assert.deepEqual(mergeObservation(null, { ...started, offline: true }, { ...ctx, tokenStatus: 'Blocked' }).flags, ['invalid-token-offline']);
  assert.deepEqual(mergeObservation(null, started, { ...ctx, tokenStatus: 'Invalid' }).flags, ['unauthorized-token']);
});

test('a different token that stops the session does not become its token nor flag it', () => {
  const tx = mergeObservation(mergeObservation(null, EVENTS[0]!, ctx), { ...EVENTS[3]!, seqNo: 1, idToken: { value: 'OTHER', type: null } }, { ...ctx, tokenStatus: 'Unknown' });
  assert.deepEqual([tx.idToken, tx.flags], ['TAG', []]);
});

test('1.6 meterStart/meterStop registers count as Begin and End readings', () => {
  const start: TransactionObservation = { kind: 'started', ocppTransactionId: '7', at: t(0), registerWh: 200, offline: false, samples: [] };
  const stop: TransactionObservation = { kind: 'ended', ocppTransactionId: '7', at: t(40), registerWh: 3200, offline: false, samples: [energy(35, 3000)] };
  const tx = mergeObservation(mergeObservation(null, stop, ctx), start, ctx);
  assert.deepEqual([tx.meterStartWh, tx.meterStopWh, energyWh(tx)], [200, 3200, 3000]);
});

test('authorization decisions', () => {
  const token = (status: IdToken['status'], extra: Partial<IdToken> = {}): IdToken => ({
    idToken: 'X', tenantId: 'default', type: 'ISO14443', status, expiresAt: null, groupId: null, inLocalList: false, createdAt: t(0), updatedAt: t(0), ...extra,
  });
  assert.equal(decide(undefined, undefined, t(1)).status, 'Unknown');
  assert.equal(decide(token('Accepted'), undefined, t(1)).status, 'Accepted');
  assert.equal(decide(token('Blocked'), undefined, t(1)).status, 'Blocked');
  assert.equal(decide(token('Accepted', { expiresAt: t(1) }), undefined, t(1)).status, 'Expired');
  assert.equal(decide(token('Accepted', { expiresAt: t(2) }), undefined, t(1)).status, 'Accepted');
  assert.equal(decide(token('Accepted', { groupId: 'G' }), token('Blocked'), t(1)).status, 'Blocked', 'a blocked group blocks its members');
});
