/** The stations storage port behaves the same on every engine (PGlite and PostgreSQL). */
import { ALL_TENANTS } from '../../src/kernel/tenant-scope.ts';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlStationRepository } from '../../src/capabilities/stations/station-repository-sql.ts';
import { SqlTenantRepository } from '../../src/capabilities/tenants/index.ts';
import type { ConnectorActivity } from '../../src/capabilities/stations/station.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const newStation = (id: string, extra: Partial<Parameters<SqlStationRepository['create']>[0]> = {}) => ({
  id,
  passwordHash: null,
  securityProfile: 0 as const,
  siteId: null,
  labels: {},
  registrationStatus: 'Accepted' as const,
  ...extra,
});
const report = (evseId: number, connectorId: number, status: any, seconds: number, ocppStatus: string | null = status, activity: ConnectorActivity | null = null) => ({
  evseId,
  connectorId,
  status,
  activity,
  ocppStatus,
  errorCode: null,
  info: null,
  reportedAt: at(seconds),
});

for (const target of storageTargets) {
  describe(`station repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlStationRepository;
    before(async () => {
      storage = await target.open();
      repo = new SqlStationRepository(storage.db);
    });
    after(async () => {
      await storage?.close();
    });

    test('create is idempotent on the id and find returns what was stored', async () => {
      assert.equal(await repo.create(newStation('R-1', { siteId: 'site-a', labels: { row: '3' }, passwordHash: 'h' }), t0), true);
      assert.equal(await repo.create(newStation('R-1'), t0), false);
      const station = await repo.find('R-1');
      assert.equal(station?.siteId, 'site-a');
      assert.deepEqual(station?.labels, { row: '3' });
      assert.equal(station?.hasPassword, true);
      assert.equal(station?.createdAt.toISOString(), t0.toISOString());
      assert.deepEqual(await repo.findCredentials('R-1'), { id: 'R-1', tenantId: 'default', passwordHash: 'h', securityProfile: 0, registrationStatus: 'Accepted', siteId: 'site-a' });
      assert.equal(await repo.find('missing'), null);
    });

    test('update changes only what is given; remove deletes', async () => {
      await repo.create(newStation('R-2', { siteId: 'site-a' }), t0);
      assert.equal(await repo.update('R-2', { registrationStatus: 'Rejected' }, at(5)), true);
      const station = await repo.find('R-2');
      assert.equal(station?.registrationStatus, 'Rejected');
      assert.equal(station?.siteId, 'site-a');
      assert.equal(station?.updatedAt.toISOString(), at(5).toISOString());
      assert.equal(await repo.update('nope', { siteId: 'x' }, t0), false);
      assert.equal(await repo.remove('R-2'), true);
      assert.equal(await repo.remove('R-2'), false);
    });

    test('list pages, filters by site and searches without treating _ as a wildcard', async () => {
      for (const id of ['L_1', 'LX1', 'L_2', 'L_3']) await repo.create(newStation(id, { siteId: id === 'LX1' ? 'other' : 'site-l' }), t0);
      const page = await repo.list({ scope: ALL_TENANTS, search: 'L_', limit: 2, offset: 0 });
      assert.deepEqual(page.items.map((s) => s.id), ['L_1', 'L_2']);
      assert.equal(page.total, 3);
      assert.deepEqual((await repo.list({ scope: ALL_TENANTS, search: 'L_', limit: 2, offset: 2 })).items.map((s) => s.id), ['L_3']);
      assert.equal((await repo.list({ scope: ALL_TENANTS, siteId: 'other', limit: 10, offset: 0 })).total, 1);
      assert.deepEqual((await repo.list({ scope: ALL_TENANTS, ids: ['L_2', 'LX1'], limit: 10, offset: 0 })).items.map((s) => s.id).sort(), ['LX1', 'L_2']);
      assert.equal((await repo.list({ scope: ALL_TENANTS, ids: [], limit: 10, offset: 0 })).total, 0);
      assert.ok(!(await repo.list({ scope: ALL_TENANTS, excludeIds: ['L_1'], limit: 100, offset: 0 })).items.some((s) => s.id === 'L_1'));
    });

    test('boot and connection events update the station and keep a history', async () => {
      await repo.create(newStation('B-1'), t0);
      await repo.create(newStation('B-2'), t0);
      const identity = { vendor: 'V', model: 'M', serialNumber: 'S', firmwareVersion: 'F', iccid: 'I', imsi: null };
      // One batch for two stations; B-1 booted twice in it: the newest boot wins.
      await repo.recordBoots([
        { stationId: 'B-1', identity: { ...identity, vendor: 'OLD' }, reason: 'Watchdog', version: '1.6', at: at(0) },
        { stationId: 'B-1', identity, reason: 'PowerUp', version: '2.0.1', at: at(1) },
        { stationId: 'B-2', identity: { ...identity, model: 'M2' }, reason: null, version: '1.6', at: at(1) },
      ]);
      await repo.recordConnections([
        { stationId: 'B-1', event: 'connected', at: at(0), ocppVersion: '2.0.1', reason: null },
        { stationId: 'B-2', event: 'connected', at: at(0), ocppVersion: '1.6', reason: null },
      ]);
      await repo.recordConnections([{ stationId: 'B-1', event: 'disconnected', at: at(9), ocppVersion: null, reason: '1006' }]);
      assert.equal((await repo.find('B-2'))?.model, 'M2');
      assert.equal((await repo.find('B-2'))?.connectedAt?.toISOString(), at(0).toISOString());
      assert.deepEqual(await repo.findCredentials('B-2'), { id: 'B-2', tenantId: 'default', passwordHash: null, securityProfile: 0, registrationStatus: 'Accepted', siteId: null });
      const station = await repo.find('B-1');
      assert.equal(station?.vendor, 'V');
      assert.equal(station?.ocppVersion, '2.0.1');
      assert.equal(station?.lastBootReason, 'PowerUp');
      assert.equal(station?.disconnectedAt?.toISOString(), at(9).toISOString());
      assert.deepEqual((await repo.connectionHistory('B-1', { limit: 10 })).map((e) => e.event), ['disconnected', 'connected']);
    });

    test('touchMany writes last-seen in one batch and never moves it backwards', async () => {
      await repo.create(newStation('T-1'), t0);
      await repo.create(newStation('T-2'), t0);
      await repo.touchMany(new Map([['T-1', at(10)], ['T-2', at(20)]]));
      await repo.touchMany(new Map([['T-1', at(5)]]));
      assert.equal((await repo.find('T-1'))?.lastSeenAt?.toISOString(), at(10).toISOString());
      assert.equal((await repo.find('T-2'))?.lastSeenAt?.toISOString(), at(20).toISOString());
    });

    test('recordStatuses keeps the newest state per connector and the full history', async () => {
      await repo.create(newStation('S-1'), t0);
      await repo.create(newStation('S-2'), t0);
      await repo.recordStatuses([
        { stationId: 'S-1', report: report(1, 1, 'Occupied', 2, 'Charging', 'charging'), receivedAt: at(3) },
        { stationId: 'S-1', report: report(1, 1, 'Available', 1), receivedAt: at(3) },
        { stationId: 'S-1', report: report(0, 0, 'Available', 1), receivedAt: at(3) },
        { stationId: 'S-2', report: report(2, 1, 'Faulted', 1), receivedAt: at(3) },
      ]);
      await repo.recordStatuses([{ stationId: 'S-1', report: report(1, 1, 'Occupied', 30, 'Finishing', 'finishing'), receivedAt: at(31) }]);
      const connectors = await repo.connectors('S-1');
      const evse1 = connectors.find((c) => c.evseId === 1);
      assert.equal(evse1?.ocppStatus, 'Finishing');
      assert.equal(evse1?.activity, 'finishing', 'the neutral activity is kept beside the status');
      assert.equal(connectors.length, 2);
      const byStation = await repo.connectorsOf(['S-1', 'S-2', 'S-none']);
      assert.equal(byStation.get('S-2')?.[0]?.status, 'Faulted');
      assert.deepEqual(byStation.get('S-none'), []);
      const history = await repo.statusHistory('S-1', { limit: 10 });
      assert.equal(history.length, 4);
      assert.equal(history[0]?.ocppStatus, 'Finishing');
      assert.deepEqual(history.map((h) => [h.ocppStatus, h.activity]).filter(([, activity]) => activity !== null), [['Finishing', 'finishing'], ['Charging', 'charging']]);
      assert.equal((await repo.statusHistory('S-1', { limit: 10, before: at(31) })).length, 3);
    });

    test('a station keeps its tenant (the default when none is named) and lists filter by it', async () => {
      await new SqlTenantRepository(storage.db).create({ id: 'east', name: 'East', createdAt: t0 });
      await repo.create(newStation('T-EAST', { tenantId: 'east' }), t0);
      await repo.create(newStation('T-DEFAULT'), t0);
      assert.equal((await repo.find('T-EAST'))?.tenantId, 'east');
      assert.equal((await repo.find('T-DEFAULT'))?.tenantId, 'default');
      assert.deepEqual((await repo.list({ scope: ALL_TENANTS, tenantId: 'east', limit: 10, offset: 0 })).items.map((s) => s.id), ['T-EAST']);
      await assert.rejects(repo.create(newStation('T-NOWHERE', { tenantId: 'nowhere' }), t0), 'a tenant that does not exist is refused by the database');
    });

    test('deleting a station removes its connectors and history', async () => {
      await repo.create(newStation('D-1'), t0);
      await repo.recordStatuses([{ stationId: 'D-1', report: report(1, 1, 'Available', 1), receivedAt: at(1) }]);
      await repo.remove('D-1');
      assert.deepEqual(await repo.connectors('D-1'), []);
      assert.deepEqual(await repo.statusHistory('D-1', { limit: 5 }), []);
    });

    test('a status for an unknown station fails instead of creating an orphan', async () => {
      await assert.rejects(repo.recordStatuses([{ stationId: 'ghost', report: report(1, 1, 'Available', 1), receivedAt: at(1) }]));
    });
  });
}
