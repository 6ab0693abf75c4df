/** The stuck storage port, and the transactions methods it relies on, behave the same on PGlite and PostgreSQL. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlStuckRepository } from '../../src/capabilities/stuck/stuck-repository-sql.ts';
import { openCase, advance, type StuckCase } from '../../src/capabilities/stuck/stuck-ladder.ts';
import { SqlTransactionRepository } from '../../src/capabilities/transactions/transaction-repository-sql.ts';
import { estimateClose, forceClosed, mergeObservation, type Transaction } from '../../src/capabilities/transactions/transaction.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';
import { ALL_TENANTS } from '../../src/kernel/tenant-scope.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 3, 1, 8) + minute * 60_000);
const reading = (minute: number, value: number) => ({ at: t(minute), measurand: 'Energy.Active.Import.Register', phase: null, location: null, context: null, value, unit: 'Wh' });
const started = (id: string, ocppId: string, minute: number, wh: number): Transaction =>
  mergeObservation(null, { kind: 'started', ocppTransactionId: ocppId, at: t(minute), evseId: 1, registerWh: wh, offline: false, samples: [] }, {
    newId: id, now: t(minute), stationId: 'ST-S', tenantId: 'default', ocppVersion: '1.6',
  });
const event = (key: string, minute: number) => ({ dedupeKey: key, kind: 'started', seqNo: null, triggerReason: null, occurredAt: t(minute), receivedAt: t(minute), offline: false, summary: {} });
const policy = { automatic: { ask: true, stop: true, unlock: true, 'reset-soft': true, 'reset-hard': true, close: true }, stepTimeoutSec: 60, resetWithOtherTransactions: false };

for (const target of storageTargets) {
  describe(`stuck repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlStuckRepository;
    let txRepo: SqlTransactionRepository;
    before(async () => {
      storage = await target.open();
      repo = new SqlStuckRepository(storage.db);
      txRepo = new SqlTransactionRepository(storage.db);
      await txRepo.recordEvent(started('TX-A', '1', 0, 1000), event('a', 0), [reading(10, 1500), reading(20, 2200)]);
      await txRepo.recordEvent(started('TX-B', '2', 40, 2600), event('b', 40), []);
    });
    after(() => storage?.close());

    test('unsettled lists open transactions with the next start on their EVSE; evidence and a CSMS close are written', async () => {
      const rows = await txRepo.listUnsettled(100);
      const a = rows.find((r) => r.transaction.id === 'TX-A');
      assert.equal(a?.nextStartAt?.getTime(), t(40).getTime());
      assert.equal(rows.find((r) => r.transaction.id === 'TX-B')?.nextStartAt, null);
      const txA = a!.transaction;
      const evidence = await txRepo.closeEvidence(txA);
      assert.deepEqual(evidence, { maxReading: { wh: 2200, at: t(20) }, nextStart: { wh: 2600, at: t(40) } });
      const closed = forceClosed(txA, estimateClose(txA, { ...evidence, endedAt: null }), 'stuck', t(50))!;
      const closeEvent = { ...event('stuck-close:1', 50), kind: 'force-closed' };
      assert.equal(await txRepo.recordClose(closed, closeEvent), 'written');
      assert.equal(await txRepo.recordClose({ ...closed, version: closed.version + 1 }, closeEvent), 'duplicate', 'once per key');
      const stored = await txRepo.find('TX-A');
      assert.deepEqual([stored?.state, stored?.meterStopWh, stored?.stopReason, stored?.flags], ['completed', 2600, 'stuck', ['stuck', 'estimated']]);
      assert.ok(!(await txRepo.listUnsettled(100)).some((r) => r.transaction.id === 'TX-A'), 'settled now');
    });

    test('one case in progress per transaction; steps survive a round trip; lists, cleared and per-station counts', async () => {
      const first = openCase('00000000-0000-4000-8000-000000000001', { id: 'TX-B', stationId: 'ST-S', evseId: 1 }, ['silent'], t(60));
      assert.equal(await repo.create(first), true);
      assert.equal(await repo.create({ ...first, id: '00000000-0000-4000-8000-000000000002' }), false, 'a second running case is refused');
      const stepped: StuckCase = advance(first, {
        now: t(61), policy, online: true, reasons: ['silent'], transactionClosed: false, otherHealthyTransaction: false,
        connectorUnplugged: false, connectorFree: false, command: null,
      }).next;
      await repo.save(stepped);
      assert.deepEqual(await repo.find(first.id), stepped);
      assert.deepEqual((await repo.running()).map((c) => c.id), [first.id]);
      await repo.save({ ...stepped, status: 'cleared', finishedAt: t(62) });
      assert.deepEqual(await repo.running(), []);
      assert.equal(await repo.create({ ...first, id: '00000000-0000-4000-8000-000000000003', status: 'open' }), true, 'a finished case frees the slot');
      assert.deepEqual((await repo.clearedSince(t(0))).map((r) => [r.transactionId, r.at.getTime()]), [['TX-B', t(62).getTime()]]);
      assert.deepEqual((await repo.list({ scope: ALL_TENANTS, status: 'running', limit: 10, offset: 0 })).total, 1);
      assert.deepEqual((await repo.list({ scope: ALL_TENANTS, stationId: 'ST-S', limit: 10, offset: 0 })).total, 2);
      assert.deepEqual(await repo.stuckPerStation(ALL_TENANTS, t(0)), [{ stationId: 'ST-S', stuck: 1 }]);
      assert.deepEqual(await repo.sessionsPerStation(ALL_TENANTS, t(0)), [{ stationId: 'ST-S', sessions: 2 }]);
    });
  });
}
