import { sql, type Kysely } from 'kysely';

/** Stuck-transaction cases and their remediation steps (src/capabilities/stuck). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stuck_cases')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('transactions.id').onDelete('cascade'))
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reasons', 'jsonb', (c) => c.notNull())
    .addColumn('steps', 'jsonb', (c) => c.notNull())
    .addColumn('pending_step', 'text')
    .addColumn('approved_step', 'text')
    .addColumn('detected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();
  // At most one case in progress per transaction, whichever node detects it.
  await sql`create unique index stuck_cases_running_uq on stuck_cases (transaction_id) where status in ('open', 'awaiting-operator')`.execute(db);
  await db.schema.createIndex('stuck_cases_station_idx').on('stuck_cases').columns(['station_id', 'detected_at']).execute();
  await db.schema.createIndex('stuck_cases_detected_idx').on('stuck_cases').column('detected_at').execute();
  // The sweep reads only open transactions and stops whose reading went backwards and is not estimated yet.
  await sql`create index transactions_unsettled_idx on transactions (last_event_at)
    where state = 'active' or (flags @> '["meter-went-backwards"]'::jsonb and not flags @> '["estimated"]'::jsonb)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists transactions_unsettled_idx`.execute(db);
  await db.schema.dropTable('stuck_cases').ifExists().execute();
}
