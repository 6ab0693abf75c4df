import { sql, type Kysely } from 'kysely';

/**
 * Issue 11: a reading's precision is kept beside it, and the highest register
 * reading beside a stop; the stuck sweep reads open transactions only (a stop
 * the station sent is never closed again by the CSMS).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('transactions')
    .addColumn('meter_start_resolution_wh', 'double precision')
    .addColumn('meter_stop_resolution_wh', 'double precision')
    .addColumn('last_meter_resolution_wh', 'double precision')
    .addColumn('highest_meter_wh', 'double precision')
    .execute();
  await sql`update transactions set highest_meter_wh = greatest(meter_start_wh, meter_stop_wh, last_meter_wh)`.execute(db);
  await sql`drop index if exists transactions_unsettled_idx`.execute(db);
  await sql`create index transactions_unsettled_idx on transactions (last_event_at) where state = 'active'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists transactions_unsettled_idx`.execute(db);
  await sql`create index transactions_unsettled_idx on transactions (last_event_at)
    where state = 'active' or (flags @> '["meter-went-backwards"]'::jsonb and not flags @> '["estimated"]'::jsonb)`.execute(db);
  for (const column of ['meter_start_resolution_wh', 'meter_stop_resolution_wh', 'last_meter_resolution_wh', 'highest_meter_wh']) {
    await db.schema.alterTable('transactions').dropColumn(column).execute();
  }
}
