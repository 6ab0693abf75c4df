/** The customer-information storage port behaves the same on every engine (PGlite and PostgreSQL). */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlCustomerInformationRepository } from '../../src/capabilities/customer-information/customer-information-repository-sql.ts';
import type { CustomerInformationRequest, ReportPart } from '../../src/capabilities/customer-information/customer-information.ts';
import { SqlStationRepository } from '../../src/capabilities/stations/station-repository-sql.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const ALL = { all: true } as const;
const request = (stationId: string, createdSec = 0): Omit<CustomerInformationRequest, 'requestId'> => ({
  stationId,
  tenantId: 'default',
  requestedAt: at(createdSec),
  createdAt: at(createdSec),
  report: true,
  clear: false,
  subject: { idToken: { idToken: 'TAG-1', type: 'ISO14443' } },
  outcome: 'pending',
  stationStatus: null,
  answeredAt: null,
  flags: [],
});
const part = (seqNo: number, data: string, tbc = true, s = 1): ReportPart => ({ seqNo, data, tbc, generatedAt: at(0), receivedAt: at(s) });

for (const target of storageTargets) {
  describe(`customer information repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlCustomerInformationRepository;
    const station = async (id: string) =>
      new SqlStationRepository(storage.db).create({ id, passwordHash: null, securityProfile: 0, siteId: null, labels: {}, registrationStatus: 'Accepted' }, t0);

    before(async () => {
      storage = await target.open();
      repo = new SqlCustomerInformationRepository(storage.db);
    });
    after(async () => {
      await storage?.close();
    });

    test('request ids are per station and distinct when taken at once; a request reads back whole', async () => {
      await station('C-1');
      await station('C-2');
      const ids = await Promise.all([1, 2, 3].map(() => repo.createRequest(request('C-1'))));
      assert.deepEqual([...ids].sort(), [1, 2, 3]);
      assert.equal(await repo.createRequest(request('C-2')), 1);
      assert.deepEqual(await repo.findRequest('C-1', 2), { ...request('C-1'), requestId: 2 });
      await repo.recordAnswer('C-1', 2, { outcome: 'accepted', stationStatus: 'Accepted', answeredAt: at(1) });
      assert.deepEqual(await repo.findRequest('C-1', 2), { ...request('C-1'), requestId: 2, outcome: 'accepted', stationStatus: 'Accepted', answeredAt: at(1) });
      assert.equal(await repo.findRequest('C-1', 9), null);
    });

    test('parts: the first of a seqNo is kept; what is kept is summarised for the next part', async () => {
      await station('C-3');
      const id = await repo.createRequest(request('C-3'));
      assert.deepEqual(await repo.keptParts('C-3', id, 0), { highestSeqNo: null, lastSeqNo: null, sameSeqNoData: null, count: 0 });
      assert.equal(await repo.addPart('default', 'C-3', id, part(2, 'C', false)), true);
      assert.equal(await repo.addPart('default', 'C-3', id, part(0, 'A')), true);
      assert.equal(await repo.addPart('default', 'C-3', id, part(0, 'Z')), false);
      assert.deepEqual(await repo.keptParts('C-3', id, 0), { highestSeqNo: 2, lastSeqNo: 2, sameSeqNoData: 'A', count: 2 });
      assert.deepEqual(await repo.keptParts('C-3', id, 1), { highestSeqNo: 2, lastSeqNo: 2, sameSeqNoData: null, count: 2 });
      await repo.addFlags('C-3', id, ['outOfOrder']);
      await repo.addFlags('C-3', id, ['duplicateSeqNo', 'outOfOrder']);
      const [listed] = await repo.list(ALL, 'C-3', t0, 10);
      assert.deepEqual(listed?.request.flags, ['outOfOrder', 'duplicateSeqNo']);
      assert.deepEqual(listed?.parts, [part(0, 'A'), part(2, 'C', false)]);
    });

    test('an unrequested report is created once; the list is per tenant, newest first, within the period', async () => {
      await station('C-4');
      const stray: CustomerInformationRequest = { ...request('C-4', 5), requestId: 50, requestedAt: null, report: null, clear: null, subject: null, flags: ['unrequested'] };
      await repo.ensureRequest(stray);
      await repo.ensureRequest({ ...stray, flags: [] });
      assert.deepEqual(await repo.findRequest('C-4', 50), stray);
      const old = await repo.createRequest(request('C-4', -100));
      assert.deepEqual((await repo.list(ALL, 'C-4', at(-200), 10)).map((e) => e.request.requestId), [50, old]);
      assert.deepEqual((await repo.list(ALL, 'C-4', at(0), 10)).map((e) => e.request.requestId), [50]);
      assert.deepEqual(await repo.list({ tenantId: 'other' }, 'C-4', at(-200), 10), []);
    });

    test('purge deletes requests made before the cut-off, with their parts', async () => {
      await station('C-5');
      const old = await repo.createRequest(request('C-5', -1000));
      await repo.addPart('default', 'C-5', old, part(0, 'old', false));
      const recent = await repo.createRequest(request('C-5', 0));
      const deleted = await repo.purge(at(-10));
      assert.ok(deleted >= 1);
      assert.equal(await repo.findRequest('C-5', old), null);
      assert.ok(await repo.findRequest('C-5', recent));
      const parts = await storage.db.selectFrom('customer_information_parts').selectAll().where('station_id', '=', 'C-5').execute();
      assert.deepEqual(parts, []);
    });
  });
}
