/** The reservations storage port behaves the same on PGlite and PostgreSQL. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlReservationRepository } from '../../src/capabilities/reservations/index.ts';
import { consume, newReservation, violate } from '../../src/capabilities/reservations/reservation.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 4, 1, 8) + minute * 60_000);

for (const target of storageTargets) {
  describe(`reservation repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlReservationRepository;
    before(async () => {
      storage = await target.open();
      repo = new SqlReservationRepository(storage.db);
      await storage.db.insertInto('stations').values({ id: 'ST-R1', tenant_id: 'default', created_at: t(0), updated_at: t(0) } as any).execute();
      await storage.db.insertInto('stations').values({ id: 'ST-R2', tenant_id: 'default', created_at: t(0), updated_at: t(0) } as any).execute();
    });
    after(() => storage?.close());

    test('ids come from one sequence; a reservation round-trips; writes are compare-and-set on the version', async () => {
      const first = await repo.nextId();
      const second = await repo.nextId();
      assert.ok(Number.isInteger(first) && second > first);
      const r = newReservation(first, 'ST-R1', 'default', { evseId: 1, idToken: 'TAG', groupIdToken: 'GRP', connectorType: 'cType2', expiresAt: t(30).toISOString() }, t(0));
      await repo.create({ ...r, evseId: null });
      const stored = await repo.find(first);
      assert.deepEqual(stored, { ...r, evseId: null });
      const active = { ...stored!, state: 'active' as const, version: 2 };
      assert.equal(await repo.save(active, 1), true);
      assert.equal(await repo.save({ ...active, state: 'refused' }, 1), false, 'a stale write is refused');
      const violated = violate((await repo.find(first))!, { transactionId: 'TX-1', evseId: 1, idToken: 'OTHER', at: t(5) });
      assert.ok(violated.ok);
      assert.equal(await repo.save(violated.reservation, 2), true);
      const reread = (await repo.find(first))!;
      assert.deepEqual([reread.state, reread.version, reread.violations], ['active', 3, [{ transactionId: 'TX-1', evseId: 1, idToken: 'OTHER', at: t(5) }]]);
      assert.deepEqual(await repo.owner(first), { tenantId: 'default', stationId: 'ST-R1' });
      assert.equal(await repo.find(2 ** 40), null, 'an id beyond integer names nothing');
      assert.equal(await repo.owner(-1), null);
    });

    test('per-station lists and open reservations; the expiry marks only open ones past due', async () => {
      const make = async (station: string, minutes: number, state: 'requested' | 'active' | 'used') => {
        const r = newReservation(await repo.nextId(), station, 'default', { idToken: `T${minutes}`, expiresAt: t(minutes).toISOString() }, t(minutes - 60));
        await repo.create({ ...r, state });
        return r.id;
      };
      const due = await make('ST-R2', 10, 'active');
      const dueRequested = await make('ST-R2', 11, 'requested');
      const notDue = await make('ST-R2', 90, 'active');
      const usedPast = await make('ST-R2', 5, 'used');
      const page = await repo.listByStation('ST-R2', { limit: 2, offset: 0 });
      assert.equal(page.total, 4);
      assert.deepEqual(page.items.map((r) => r.id), [notDue, dueRequested], 'newest first');
      assert.deepEqual((await repo.listByStation('ST-R2', { state: 'used', limit: 10, offset: 0 })).items.map((r) => r.id), [usedPast]);
      assert.deepEqual((await repo.openOnStation('ST-R2')).map((r) => r.id), [due, dueRequested, notDue]);
      const expired = await repo.expireDue(t(20), 'expiry time passed');
      assert.deepEqual(expired.map((r) => [r.id, r.state, r.reason, r.endedAt?.getTime()]).sort(), [
        [due, 'expired', 'expiry time passed', t(20).getTime()],
        [dueRequested, 'expired', 'expiry time passed', t(20).getTime()],
      ].sort());
      assert.deepEqual(await repo.expireDue(t(20), 'again'), [], 'once');
      const usedLater = consume((await repo.find(due))!, 'TX-9', t(21));
      assert.ok(usedLater.ok, 'an expired reservation can still be used');
      assert.equal(await repo.save(usedLater.reservation, (await repo.find(due))!.version), true);
      assert.equal((await repo.find(due))!.state, 'used');
    });

    test('a reservation is deleted with its station', async () => {
      const id = await repo.nextId();
      await repo.create(newReservation(id, 'ST-R1', 'default', { idToken: 'GONE', expiresAt: t(30).toISOString() }, t(0)));
      await storage.db.deleteFrom('stations').where('id', '=', 'ST-R1').execute();
      assert.equal(await repo.find(id), null);
    });
  });
}
