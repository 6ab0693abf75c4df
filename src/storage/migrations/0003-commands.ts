import { sql, type Kysely } from 'kysely';

/** The durable per-station command queue and each command's outcome (src/capabilities/commands). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('commands')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('response', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // A station's history (newest first) and its queue (oldest first).
  await db.schema.createIndex('commands_station_seq_idx').on('commands').columns(['station_id', 'seq']).execute();
  // Undelivered commands are few; the expiry sweep and the queue scan only look at them.
  await db.schema
    .createIndex('commands_queued_expiry_idx')
    .on('commands')
    .columns(['expires_at'])
    .where(sql.ref('state'), '=', 'queued')
    .execute();
  await db.schema
    .createIndex('commands_in_flight_idx')
    .on('commands')
    .columns(['station_id'])
    .where(sql.ref('state'), '=', 'sent')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('commands').ifExists().execute();
}
