/**
 * Migrations that rewrite data written by an older version (issue 12): rows in the old shape are
 * put in place on a migrated database with the migration undone, then the migration runs again and
 * the rows must read in the new shape. Runs on PGlite always, PostgreSQL when its URL is set.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import * as connectorActivity from '../../src/storage/migrations/0014-connector-activity.ts';
import * as neutralCommandWords from '../../src/storage/migrations/0015-neutral-command-words.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';

const at = new Date('2026-01-01T00:00:00Z');

for (const target of storageTargets) {
  describe(`data migrations on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let db: Kysely<unknown>;
    before(async () => {
      storage = await target.open();
      db = storage.db as unknown as Kysely<unknown>;
      await sql`insert into stations (id, created_at, updated_at) values ('M-1', ${at}, ${at})`.execute(db);
    });
    after(async () => storage.close());

    test('0014 gives 1.6 connector rows their neutral activity from the status they stored', async () => {
      await connectorActivity.down(db);
      for (const [evse, status, ocppStatus] of [[1, 'Occupied', 'Charging'], [2, 'Occupied', 'Finishing'], [3, 'Available', 'Available'], [4, 'Occupied', 'Occupied'], [5, 'Occupied', 'SuspendedEV']] as const) {
        await sql`insert into station_connectors (station_id, evse_id, connector_id, status, ocpp_status, reported_at) values ('M-1', ${evse}, 1, ${status}, ${ocppStatus}, ${at})`.execute(db);
        await sql`insert into station_status_history (station_id, evse_id, connector_id, status, ocpp_status, reported_at, received_at) values ('M-1', ${evse}, 1, ${status}, ${ocppStatus}, ${at}, ${at})`.execute(db);
      }
      await connectorActivity.up(db);
      for (const table of ['station_connectors', 'station_status_history']) {
        const rows = await sql<{ evse_id: number; activity: string | null }>`select evse_id, activity from ${sql.table(table)} where station_id = 'M-1' order by evse_id`.execute(db);
        assert.deepEqual(
          rows.rows.map((r) => [r.evse_id, r.activity]),
          [[1, 'charging'], [2, 'finishing'], [3, null], [4, null], [5, 'suspended-by-ev']],
          `${table}: 2.x Occupied has no activity; 1.6 finer statuses get theirs`,
        );
      }
    });

    test('0015 rewrites stored trigger names and the getTransactionStatus answer into the neutral words', async () => {
      const rows: Array<[string, string, Record<string, unknown>, Record<string, unknown> | null]> = [
        ['00000000-0000-4000-8000-000000000001', 'trigger', { message: 'StatusNotification', evseId: 1 }, null],
        ['00000000-0000-4000-8000-000000000002', 'trigger', { message: 'DiagnosticsStatusNotification' }, null],
        ['00000000-0000-4000-8000-000000000003', 'trigger', { message: 'heartbeat' }, null],
        ['00000000-0000-4000-8000-000000000004', 'getTransactionStatus', { transactionId: 'T' }, { status: 'Accepted', ongoingIndicator: false, messagesInQueue: true }],
        ['00000000-0000-4000-8000-000000000005', 'reset', { mode: 'soft' }, { status: 'Accepted' }],
      ];
      for (const [id, type, params, response] of rows) {
        await sql`insert into commands (id, station_id, type, params, state, created_at, expires_at, response)
          values (${id}, 'M-1', ${type}, ${JSON.stringify(params)}::jsonb, 'queued', ${at}, ${at}, ${response ? JSON.stringify(response) : null}::jsonb)`.execute(db);
      }
      await neutralCommandWords.up(db);
      const read = await sql<{ id: string; params: Record<string, unknown>; response: Record<string, unknown> | null }>`select id, params, response from commands order by id`.execute(db);
      assert.deepEqual(
        read.rows.map((r) => [r.params, r.response]),
        [
          [{ message: 'status', evseId: 1 }, null],
          [{ message: 'logStatus' }, null],
          [{ message: 'heartbeat' }, null],
          [{ transactionId: 'T' }, { status: 'Accepted', transactionOngoing: false, messagesInQueue: true }],
          [{ mode: 'soft' }, { status: 'Accepted' }],
        ],
      );
    });
  });
}
