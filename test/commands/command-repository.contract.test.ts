/** The commands storage port behaves the same on every engine (PGlite and PostgreSQL). */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SqlCommandRepository } from '../../src/capabilities/commands/command-repository-sql.ts';
import { applyEvent, newCommand, type Command, type CommandEvent, type CommandInput } from '../../src/capabilities/commands/command.ts';
import { SqlStationRepository } from '../../src/capabilities/stations/station-repository-sql.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const reset: CommandInput = { type: 'reset', params: { mode: 'hard' } };
const make = (stationId: string, input: CommandInput = reset, createdSec = 0, lifetimeSec = 60) =>
  newCommand(randomUUID(), stationId, input, at(createdSec), lifetimeSec);
const apply = (command: Command, event: CommandEvent): Command => {
  const next = applyEvent(command, event);
  assert.ok(next.ok, next.ok ? '' : next.reason);
  return next.command;
};

for (const target of storageTargets) {
  describe(`command repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlCommandRepository;
    let stations: SqlStationRepository;
    const station = async (id: string) =>
      stations.create({ id, passwordHash: null, securityProfile: 0, siteId: null, labels: {}, registrationStatus: 'Accepted' }, t0);

    before(async () => {
      storage = await target.open();
      repo = new SqlCommandRepository(storage.db);
      stations = new SqlStationRepository(storage.db);
    });
    after(async () => {
      await storage?.close();
    });

    test('create and find keep every field, JSON parameters included', async () => {
      await station('C-1');
      const input: CommandInput = { type: 'dataTransfer', params: { vendorId: 'acme', data: { list: [1, 'two'], nested: { ok: true } } } };
      const command = make('C-1', input);
      assert.equal(await repo.create(command), true);
      assert.deepEqual(await repo.find(command.id), command);
      assert.equal(await repo.find(randomUUID()), null);
    });

    test('a command for a station that does not exist is refused', async () => {
      assert.equal(await repo.create(make('NO-SUCH-STATION')), false);
    });

    test('the queue: oldest queued first, by creation order even within one instant', async () => {
      await station('C-2');
      const first = make('C-2', reset, 5);
      const second = make('C-2', { type: 'clearCache', params: {} }, 5);
      const third = make('C-2', reset, 6);
      for (const c of [first, second, third]) await repo.create(c);
      assert.equal((await repo.nextQueued('C-2'))?.id, first.id);
      const sent = apply(first, { kind: 'sent', at: at(7) });
      await repo.saveTransition(sent, 'queued');
      assert.equal((await repo.nextQueued('C-2'))?.id, second.id);
      assert.equal(await repo.nextQueued('C-NONE'), null);
    });

    test('transitions are compare-and-set on the state', async () => {
      await station('C-3');
      const command = make('C-3');
      await repo.create(command);
      const sent = apply(command, { kind: 'sent', at: at(1) });
      const stored = await repo.saveTransition(sent, 'queued');
      assert.deepEqual([stored?.state, stored?.sentAt, stored?.attempts], ['sent', at(1), 1]);
      assert.equal(await repo.saveTransition(sent, 'queued'), null, 'a second writer loses');
      const answered = apply(sent, { kind: 'answered', at: at(2), answer: { status: 'Rejected', reason: { code: 'Busy' } }, accepted: false });
      const final = await repo.saveTransition(answered, 'sent');
      assert.deepEqual(final, answered);
      assert.deepEqual((await repo.find(command.id))?.response, { status: 'Rejected', reason: { code: 'Busy' } });
    });

    test('expiry is one statement over every station and touches only queued commands', async () => {
      await station('C-4');
      await station('C-5');
      const due = make('C-4', reset, 0, 10);
      const later = make('C-4', reset, 0, 100);
      const otherStation = make('C-5', reset, 0, 5);
      const inFlight = make('C-5', reset, 0, 5);
      for (const c of [due, later, otherStation, inFlight]) await repo.create(c);
      await repo.saveTransition(apply(inFlight, { kind: 'sent', at: at(1) }), 'queued');
      const expired = await repo.expireDue(at(10));
      assert.deepEqual(expired.map((c) => c.id).sort(), [due.id, otherStation.id].sort());
      assert.ok(expired.every((c) => c.state === 'expired'));
      assert.equal((await repo.find(later.id))?.state, 'queued');
      assert.equal((await repo.find(inFlight.id))?.state, 'sent');
      assert.deepEqual(await repo.expireDue(at(10)), [], 'nothing twice');
    });

    test('commands in flight at a restart fail with an unknown outcome', async () => {
      await station('C-6');
      const command = make('C-6', reset, 0, 3600);
      await repo.create(command);
      await repo.saveTransition(apply(command, { kind: 'sent', at: at(1) }), 'queued');
      const returned = await repo.failInFlight('UnknownOutcome: test', at(2));
      assert.ok(returned.some((c) => c.id === command.id && c.state === 'failed'), 'the failed commands come back, so their capability can settle them');
      const failed = await repo.find(command.id);
      assert.deepEqual([failed?.state, failed?.error, failed?.answeredAt, failed?.attempts], ['failed', 'UnknownOutcome: test', at(2), 1]);
      assert.deepEqual(await repo.failInFlight('again', at(3)), []);
    });

    test('stations with queued commands', async () => {
      await station('C-7');
      await repo.create(make('C-7', reset, 0, 3600));
      const ids = await repo.stationsWithQueued();
      assert.ok(ids.includes('C-7'));
      assert.ok(!ids.includes('C-6'), 'a station with only final commands is not listed');
      assert.equal(new Set(ids).size, ids.length, 'each station once');
    });

    test('list pages newest first and filters by state', async () => {
      await station('C-8');
      const made: Command[] = [];
      for (let i = 0; i < 5; i++) {
        const c = make('C-8', reset, i, 3600);
        made.push(c);
        await repo.create(c);
      }
      await repo.saveTransition(apply(made[1] as Command, { kind: 'failed', at: at(9), error: 'x' }), 'queued');
      const page = await repo.list('C-8', { limit: 2, offset: 0 });
      assert.equal(page.total, 5);
      assert.deepEqual(page.items.map((c) => c.id), [made[4]?.id, made[3]?.id]);
      const rest = await repo.list('C-8', { limit: 10, offset: 4 });
      assert.deepEqual(rest.items.map((c) => c.id), [made[0]?.id]);
      const failed = await repo.list('C-8', { state: 'failed', limit: 10, offset: 0 });
      assert.deepEqual([failed.total, failed.items[0]?.id], [1, made[1]?.id]);
      assert.deepEqual(await repo.list('C-NONE', { limit: 10, offset: 0 }), { items: [], total: 0 });
    });

    test('deleting a station deletes its commands', async () => {
      await station('C-9');
      const command = make('C-9');
      await repo.create(command);
      await stations.remove('C-9');
      assert.equal(await repo.find(command.id), null);
    });
  });
}
