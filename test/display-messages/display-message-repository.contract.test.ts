/** The display-messages storage port behaves the same on every engine (PGlite and PostgreSQL). */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlDisplayMessageRepository } from '../../src/capabilities/display-messages/display-message-repository-sql.ts';
import type { DisplayMessageSpec } from '../../src/capabilities/display-messages/display-message.ts';
import { SqlStationRepository } from '../../src/capabilities/stations/station-repository-sql.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const spec = (id: number, content = 'hi'): DisplayMessageSpec => ({ id, priority: 'inFront', message: { format: 'utf8', content } });
const ALL = { all: true } as const;
const fact = (outcome: 'accepted' | 'rejected', s: number) => ({ outcome, stationStatus: outcome === 'accepted' ? 'Accepted' : 'Rejected', at: at(s), commandId: `cmd-${s}` });

for (const target of storageTargets) {
  describe(`display message repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlDisplayMessageRepository;
    const station = async (id: string) =>
      new SqlStationRepository(storage.db).create({ id, passwordHash: null, securityProfile: 0, siteId: null, labels: {}, registrationStatus: 'Accepted' }, t0);

    before(async () => {
      storage = await target.open();
      repo = new SqlDisplayMessageRepository(storage.db);
    });
    after(async () => {
      await storage?.close();
    });

    test('ids: assigned above every id held, also when requested at once; a given id is used as is', async () => {
      await station('D-1');
      await repo.recordReported('default', 'D-1', 1, [spec(5)], at(0), 100);
      const ids = await Promise.all([1, 2, 3, 4].map(() => repo.recordSetRequested('default', 'D-1', { priority: 'inFront', message: { format: 'ascii', content: 'x' } }, at(1))));
      assert.deepEqual([...ids].sort(), [6, 7, 8, 9]);
      assert.equal(await repo.recordSetRequested('default', 'D-1', { ...spec(3), id: 3 }, at(2)), 3);
      const messages = await repo.messages(ALL, 'D-1');
      assert.deepEqual(messages.map((m) => [m.id, m.set?.outcome ?? null]), [[3, 'pending'], [5, null], [6, 'pending'], [7, 'pending'], [8, 'pending'], [9, 'pending']]);
      assert.deepEqual(messages.find((m) => m.id === 6)?.set?.spec, { id: 6, priority: 'inFront', message: { format: 'ascii', content: 'x' } });
    });

    test('settled set, report and clear keep independent facts; onStation follows them', async () => {
      await station('D-2');
      await repo.recordSetSettled('default', 'D-2', spec(1, 'set'), fact('accepted', 1));
      await repo.recordSetSettled('default', 'D-2', spec(2), fact('rejected', 2));
      await repo.recordReported('default', 'D-2', 4, [spec(1, 'as shown')], at(3), 100);
      await repo.recordClearSettled('default', 'D-2', 1, fact('accepted', 4), true);
      const [one, two] = await repo.messages(ALL, 'D-2');
      assert.deepEqual(one, {
        stationId: 'D-2',
        tenantId: 'default',
        id: 1,
        onStation: false,
        set: { ...fact('accepted', 1), spec: spec(1, 'set') },
        reported: { spec: spec(1, 'as shown'), at: at(3), requestId: 4 },
        cleared: fact('accepted', 4),
        updatedAt: at(4),
      });
      assert.deepEqual([two?.onStation, two?.set?.outcome, two?.reported], [false, 'rejected', null]);
      // A refused clear leaves the message shown.
      await repo.recordSetSettled('default', 'D-2', spec(3), fact('accepted', 5));
      await repo.recordClearSettled('default', 'D-2', 3, fact('rejected', 6), false);
      assert.equal((await repo.messages(ALL, 'D-2')).find((m) => m.id === 3)?.onStation, true);
    });

    test('reported messages beyond the cap are not stored; known ones always are', async () => {
      await station('D-3');
      assert.equal(await repo.recordReported('default', 'D-3', 1, [spec(1), spec(2), spec(3)], at(0), 2), 2);
      assert.equal(await repo.recordReported('default', 'D-3', 2, [spec(1, 'new'), spec(9)], at(1), 2), 1);
      const messages = await repo.messages(ALL, 'D-3');
      assert.deepEqual(messages.map((m) => [m.id, m.reported?.spec.message.content]), [[1, 'new'], [2, 'hi']]);
    });

    test('markAbsentExcept: messages not in the report and not set since the request are off the station', async () => {
      await station('D-4');
      await repo.recordReported('default', 'D-4', 1, [spec(1), spec(2)], at(0), 100);
      await repo.recordSetSettled('default', 'D-4', spec(3), fact('accepted', 20));
      await repo.recordReported('default', 'D-4', 2, [spec(1)], at(15), 100);
      await repo.markAbsentExcept('D-4', 2, at(10), at(16));
      assert.deepEqual((await repo.messages(ALL, 'D-4')).map((m) => [m.id, m.onStation]), [[1, true], [2, false], [3, true]]);
    });

    test('reports: next request id, save keeps the answer written alone, listed most recent first and per tenant', async () => {
      await station('D-5');
      const base = { stationId: 'D-5', tenantId: 'default', filters: { priority: 'inFront' as const }, answer: 'pending' as const, parts: 0, messages: 0, lastPartReceived: false, firstPartAt: null, lastPartAt: null, flags: [] };
      const first = await repo.createReport({ ...base, requestedAt: at(0) });
      const second = await repo.createReport({ ...base, requestedAt: at(1) });
      assert.deepEqual([first, second], [1, 2]);
      await repo.recordReportAnswer('D-5', 1, 'accepted');
      const stale = await repo.findReport('D-5', 1);
      assert.ok(stale);
      await repo.saveReport({ ...stale, answer: 'pending', parts: 1, messages: 1, lastPartReceived: true, firstPartAt: at(2), lastPartAt: at(2), flags: ['partAfterLast'] });
      assert.deepEqual(await repo.findReport('D-5', 1), { ...stale, answer: 'accepted', parts: 1, messages: 1, lastPartReceived: true, firstPartAt: at(2), lastPartAt: at(2), flags: ['partAfterLast'] });
      await repo.saveReport({ ...base, requestId: 99, requestedAt: null, filters: {}, firstPartAt: at(5), flags: ['unrequested'] });
      assert.deepEqual((await repo.reports(ALL, 'D-5', 10)).map((r) => r.requestId), [99, 2, 1]);
      assert.deepEqual(await repo.reports({ tenantId: 'other' }, 'D-5', 10), []);
      assert.deepEqual(await repo.messages({ tenantId: 'other' }, 'D-2'), []);
    });

    test('rows go with their station', async () => {
      await station('D-6');
      await repo.recordSetSettled('default', 'D-6', spec(1), fact('accepted', 1));
      await repo.createReport({ stationId: 'D-6', tenantId: 'default', requestedAt: at(0), filters: {}, answer: 'pending', parts: 0, messages: 0, lastPartReceived: false, firstPartAt: null, lastPartAt: null, flags: [] });
      await storage.db.deleteFrom('stations').where('id', '=', 'D-6').execute();
      assert.deepEqual([await repo.messages(ALL, 'D-6'), await repo.reports(ALL, 'D-6', 10)], [[], []]);
    });
  });
}
