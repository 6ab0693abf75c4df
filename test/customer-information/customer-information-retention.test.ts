/**
 * Retention: customer information is shown for CUSTOMER_INFORMATION_RETENTION_DAYS and then
 * deleted by the module's hourly purge — on a fake clock, over a real (PGlite) database.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { customerInformationModule, type CustomerInformationModule } from '../../src/capabilities/customer-information/index.ts';
import { CUSTOMER_INFORMATION_RETENTION_DAYS, PURGE_INTERVAL_MS } from '../../src/capabilities/customer-information/customer-information.ts';
import { SqlStationRepository } from '../../src/capabilities/stations/station-repository-sql.ts';
import { openStorage, type Storage } from '../../src/storage/database.ts';
import { freshPglite } from '../support/database-template.ts';
import { FakeTime } from '../support/fake-time.ts';

const DAY = 24 * 3600_000;
const t0 = new Date('2026-03-01T10:00:00.000Z');
let storage: Storage;
let time: FakeTime;
let module: CustomerInformationModule;

before(async () => {
  storage = await openStorage({ kind: 'pglite', pglite: await freshPglite() });
  await new SqlStationRepository(storage.db).create({ id: 'RET-1', passwordHash: null, securityProfile: 0, siteId: null, labels: {}, registrationStatus: 'Accepted' }, t0);
  time = new FakeTime(t0);
  const platform = { db: storage.db, clock: time.clock, timers: time.timers, log: pino({ level: 'silent' }) };
  const deps = { stations: { owner: async () => ({ tenantId: 'default', siteId: null }) }, commands: { register: () => undefined } };
  module = customerInformationModule(platform as never, deps as never);
  await module.start?.();
});
after(async () => {
  await module.stop?.();
  await storage.close();
});

test(`a report is shown for ${CUSTOMER_INFORMATION_RETENTION_DAYS} days, then hidden and deleted by the hourly purge`, async () => {
  const { requestId } = await module.service.prepare('RET-1', { report: true, clear: false, customerIdentifier: 'C-9' });
  await module.service.reported({ stationId: 'RET-1', tenantId: 'default', requestId, seqNo: 0, data: 'personal', tbc: false, generatedAt: t0, receivedAt: t0 });
  const rows = () => storage.db.selectFrom('customer_information_requests').select('request_id').execute();

  await time.advance(CUSTOMER_INFORMATION_RETENTION_DAYS * DAY - PURGE_INTERVAL_MS);
  assert.deepEqual((await module.service.view({ all: true }, 'RET-1')).map((e) => e.report.data), ['personal']);

  await time.advance(PURGE_INTERVAL_MS + 1);
  assert.deepEqual(await module.service.view({ all: true }, 'RET-1'), [], 'past retention it is not shown, purged or not');
  await time.advance(PURGE_INTERVAL_MS);
  await module.stop?.(); // waits for the purge the timer started
  assert.deepEqual(await rows(), []);
  assert.deepEqual(await storage.db.selectFrom('customer_information_parts').selectAll().execute(), []);
});
