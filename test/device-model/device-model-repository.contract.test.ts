/** The device-model storage port behaves the same on PGlite and PostgreSQL. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlDeviceModelRepository } from '../../src/capabilities/device-model/device-model-repository-sql.ts';
import { entryFromRead, entryFromReport, type ReportedVariable } from '../../src/capabilities/device-model/device-model.ts';
import { newReport, type ReportRequest } from '../../src/capabilities/device-model/device-model-report.ts';
import type { IncomingPart } from '../../src/capabilities/device-model/device-model-repository.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 4, 1, 8) + minute * 60_000);
const reported = (component: string, name: string, value: string): ReportedVariable => ({
  component: { name: component, instance: null, evseId: null, connectorId: null },
  variable: { name, instance: null },
  attributes: [{ type: 'Actual', value, mutability: 'ReadWrite', persistent: null, constant: null }],
  characteristics: { unit: null, dataType: 'string', minLimit: null, maxLimit: 10, maxElements: null, valuesList: null, supportsMonitoring: false },
});

for (const target of storageTargets) {
  describe(`device-model repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlDeviceModelRepository;
    const station = 'DM-REPO';
    before(async () => {
      storage = await target.open();
      repo = new SqlDeviceModelRepository(storage.db);
      await storage.db.insertInto('stations').values({ id: station, tenant_id: 'default', security_profile: 0, labels: '{}', registration_status: 'Accepted', created_at: t(0), updated_at: t(0) } as never).execute();
    });
    after(() => storage?.close());

    const incoming = (report: ReportRequest, seqNo: number, tbc: boolean, at: Date, items: number): IncomingPart => ({
      stationId: station,
      tenantId: 'default',
      kind: report.kind,
      requestId: report.requestId,
      header: { seqNo, tbc, generatedAt: at, items },
      uncountable: null,
      at,
      unsolicited: newReport({ id: crypto.randomUUID(), stationId: station, tenantId: 'default', kind: report.kind, requestId: report.requestId, criteria: {}, replaces: false, commandType: null, at, unsolicited: true }),
    });

    test('request ids are fresh; parts are counted once, assembled in any order; a complete full report replaces', async () => {
      const a = await repo.nextRequestId();
      const b = await repo.nextRequestId();
      assert.ok(b > a && a > 0);
      const old = entryFromReport(station, 'default', reported('Old', 'Gone', '1'), t(1), null);
      await repo.saveEntries([old]);

      const report = newReport({ id: crypto.randomUUID(), stationId: station, tenantId: 'default', kind: 'inventory', requestId: b, criteria: { reportBase: 'FullInventory' }, replaces: true, commandType: 'getBaseReport', at: t(2) });
      await repo.createReport(report);
      const write = (seqNo: number, tbc: boolean, at: Date, vars: ReportedVariable[]) =>
        repo.receiveInventoryPart(incoming(report, seqNo, tbc, at, vars.length), (reportId) => vars.map((v) => entryFromReport(station, 'default', v, at, reportId)));

      const last = await write(1, false, t(3), [reported('New', 'Two', '2')]);
      assert.deepEqual([last.report.state, last.completed, last.report.lastSeqNo], ['receiving', false, 1]);
      const dup = await write(1, false, t(4), [reported('New', 'Two', 'changed')]);
      assert.deepEqual([dup.duplicate, dup.report.duplicateParts, dup.report.partsReceived], [true, 1, 1]);
      const first = await write(0, true, t(5), [reported('New', 'One', '1'), reported('New', 'One', '1b')]);
      assert.deepEqual([first.report.state, first.completed, first.removed, first.report.itemsReceived], ['complete', true, 1, 2]);

      const stored = await repo.findReport(station, 'inventory', b);
      assert.deepEqual([stored?.state, stored?.partsReceived, stored?.completedAt?.getTime()], ['complete', 2, t(5).getTime()]);
      const list = await repo.listEntries(station, { limit: 10, offset: 0 });
      assert.deepEqual(list.items.map((e) => [e.key, e.attributes[0]?.value, e.characteristics?.maxLimit]), [['New/One', '1b', 10], ['New/Two', '2', 10]]);
    });

    test('reads merge into reported entries; filters; 1.6 keys; removal of keys a full read no longer lists', async () => {
      const [one] = await repo.findEntries(station, [entryFromReport(station, 'default', reported('new', 'one', ''), t(0), null).identity]);
      assert.equal(one?.key, 'New/One', 'identities are case-folded');
      const read = entryFromRead(one ?? null, { key: 'New/One', value: 'read', readonly: null }, { stationId: station, tenantId: 'default', dialect: '2.x', at: t(6) });
      await repo.saveEntries([read!]);
      const [after] = (await repo.listEntries(station, { component: 'NEW', variable: 'one', limit: 10, offset: 0 })).items;
      assert.deepEqual([after?.attributes[0]?.value, after?.source, after?.characteristics?.maxLimit], ['read', 'getVariables', 10]);

      const ctx = { stationId: station, tenantId: 'default', dialect: '1.6' as const, at: t(7) };
      await repo.saveEntries(['HeartbeatInterval', 'Stale'].map((key) => entryFromRead(null, { key, value: '1', readonly: key === 'Stale' }, ctx)!));
      assert.equal((await repo.listEntries(station, { dialect: '1.6', limit: 10, offset: 0 })).total, 2);
      const keep = entryFromRead(null, { key: 'HeartbeatInterval', value: '2', readonly: false }, { ...ctx, at: t(8) })!;
      await repo.saveEntries([keep]);
      assert.equal(await repo.removeEntriesNotIn(station, '1.6', [keep.identity], t(8)), 1);
      const q = await repo.listEntries(station, { q: '50%_', limit: 10, offset: 0 });
      assert.equal(q.total, 0, 'LIKE wildcards in q are literal');
      const page = await repo.listEntries(station, { limit: 1, offset: 1 });
      assert.deepEqual([page.items.length, page.total], [1, 3]);
    });

    test('saved reports are compare-and-set; quiet open reports are found; monitors upsert and go', async () => {
      const requestId = await repo.nextRequestId();
      const report = newReport({ id: crypto.randomUUID(), stationId: station, tenantId: 'default', kind: 'monitoring', requestId, criteria: {}, replaces: true, commandType: 'getMonitoringReport', at: t(10) });
      await repo.createReport(report);
      assert.equal((await repo.quietReports(t(20), 10)).filter((r) => r.id === report.id).length, 1);
      assert.equal((await repo.openReports(station, 'monitoring')).length, 1);
      assert.equal(await repo.saveReport({ ...report, state: 'accepted', updatedAt: t(11) }, report.updatedAt), true);
      assert.equal(await repo.saveReport({ ...report, state: 'rejected', updatedAt: t(12) }, report.updatedAt), false, 'stale');

      const monitor = (monitorId: number, value: number) => ({
        stationId: station, tenantId: 'default', monitorId, component: { name: 'C', instance: null, evseId: 1, connectorId: null }, variable: { name: 'V', instance: null },
        type: 'Delta', value, severity: 3, transaction: false, origin: null, source: 'setVariableMonitoring' as const, reportedAt: t(9), reportId: null,
      });
      await repo.saveMonitors([monitor(1, 1), monitor(2, 2), monitor(2, 2.5)]);
      const part = await repo.receiveMonitoringPart(incoming({ ...report, state: 'accepted' }, 0, false, t(13), 1), (reportId) => [{ ...monitor(2, 3), source: 'report', reportedAt: t(13), reportId }]);
      assert.deepEqual([part.completed, part.removed], [true, 1]);
      assert.deepEqual((await repo.listMonitors(station, { limit: 10, offset: 0 })).items.map((m) => [m.monitorId, m.value, m.source, m.component.evseId]), [[2, 3, 'report', 1]]);
      assert.equal(await repo.removeMonitors(station, [2, 99]), 1);
      assert.equal((await repo.listReports(station, { kind: 'monitoring', limit: 10, offset: 0 })).total, 1);
    });
  });
}
