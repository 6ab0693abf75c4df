/**
 * The service keeps the open transactions it wrote, so a meter value needs no
 * read; what it remembers must never outlive a reconnect (another node may
 * have written the transaction meanwhile) or a rejected duplicate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { InProcessEventBus } from '../../src/cluster/event-bus.ts';
import { TransactionService } from '../../src/capabilities/transactions/index.ts';
import type { Transaction, TransactionObservation } from '../../src/capabilities/transactions/transaction.ts';
import type { TransactionRepository } from '../../src/capabilities/transactions/transaction-repository.ts';

function countingRepository() {
  const stored = new Map<string, Transaction>();
  const keys = new Set<string>();
  const calls = { findByOcppId: 0, findActiveOn: 0 };
  const repo = {
    nextIssuedTransactionIds: async (count: number) => Array.from({ length: count }, (_, i) => i + 1),
    findByOcppId: async (stationId: string, ocppId: string) => {
      calls.findByOcppId++;
      return stored.get(`${stationId}/${ocppId}`) ?? null;
    },
    findActiveOn: async (stationId: string, evseId: number) => {
      calls.findActiveOn++;
      return [...stored.values()].find((tx) => tx.stationId === stationId && tx.evseId === evseId && tx.state === 'active') ?? null;
    },
    recordEvent: async (tx: Transaction, event: { dedupeKey: string }) => {
      if (keys.has(event.dedupeKey)) return 'duplicate';
      keys.add(event.dedupeKey);
      stored.set(`${tx.stationId}/${tx.ocppTransactionId}`, tx);
      return 'written';
    },
  } as unknown as TransactionRepository;
  return { repo, stored, calls };
}

const update = (seqNo: number, wh: number, kind: TransactionObservation['kind'] = 'updated'): TransactionObservation => ({
  kind,
  ocppTransactionId: 'T1',
  at: new Date(Date.UTC(2026, 0, 1, 10, seqNo)),
  seqNo,
  offline: false,
  evseId: 1,
  connectorId: 1,
  samples: [{ at: new Date(Date.UTC(2026, 0, 1, 10, seqNo)), measurand: 'Energy.Active.Import.Register', phase: null, location: null, context: null, value: wh, unit: 'Wh' }],
});

test('open transactions are read once, re-read after a reconnect or a duplicate, and forgotten when they end', async () => {
  const { repo, stored, calls } = countingRepository();
  const events = new InProcessEventBus();
  const service = new TransactionService(repo, events, () => new Date(), () => 'tx-id', { statusOf: () => 'Accepted' }, pino({ level: 'silent' }));
  const observe = (obs: TransactionObservation, key = `k${obs.seqNo}`) =>
    service.observe({ stationId: 'S1', tenantId: 'default', version: '2.0.1', dedupeKey: key, receivedAt: new Date(), observation: obs, summary: {} });

  await observe(update(0, 100, 'started'));
  await observe(update(1, 200));
  await observe(update(2, 300));
  assert.equal(calls.findByOcppId, 1, 'only the first message of a transaction reads it');

  // Another node wrote the transaction while the station was connected there.
  const elsewhere = stored.get('S1/T1') as Transaction;
  stored.set('S1/T1', { ...elsewhere, idToken: 'SET-ON-OTHER-NODE' });
  events.publish({ type: 'station.connected', stationId: 'S1', at: new Date().toISOString(), ocppVersion: '2.0.1' });
  const afterReconnect = await observe(update(3, 400));
  assert.equal(calls.findByOcppId, 2, 'a reconnect drops what this node remembered');
  assert.equal(afterReconnect.transaction.idToken, 'SET-ON-OTHER-NODE', 'the merge started from the stored transaction');

  assert.equal((await observe(update(3, 400))).duplicate, true);
  await observe(update(4, 500));
  assert.equal(calls.findByOcppId, 3, 'a duplicate makes the next message read again');

  await observe(update(5, 600, 'ended'));
  await observe(update(6, 700));
  assert.equal(calls.findByOcppId, 4, 'an ended transaction is no longer remembered');
});

test('meter values without a transaction id find the open session on their connector without a read', async () => {
  const { repo, calls } = countingRepository();
  const events = new InProcessEventBus();
  const service = new TransactionService(repo, events, () => new Date(), () => 'tx-id', { statusOf: () => 'Accepted' }, pino({ level: 'silent' }));
  const observe = (obs: TransactionObservation) => service.observe({ stationId: 'S1', tenantId: 'default', version: '1.6', dedupeKey: `k${obs.seqNo}`, receivedAt: new Date(), observation: obs, summary: {} });

  assert.equal(await service.activeOn('S1', 1), null);
  assert.equal(calls.findActiveOn, 1, 'nothing cached: the repository is asked');
  await observe(update(0, 100, 'started'));
  assert.equal((await service.activeOn('S1', 1))?.ocppTransactionId, 'T1');
  assert.equal(await service.activeOn('S1', 2), null, 'another connector has no session');
  assert.equal(calls.findActiveOn, 2, 'the open session on connector 1 came from memory');
  events.publish({ type: 'station.connected', stationId: 'S1', at: new Date().toISOString(), ocppVersion: '1.6' });
  assert.equal((await service.activeOn('S1', 1))?.ocppTransactionId, 'T1');
  assert.equal(calls.findActiveOn, 3, 'after a reconnect the repository is asked again');
  await observe(update(1, 200, 'ended'));
  assert.equal(await service.activeOn('S1', 1), null);
});
