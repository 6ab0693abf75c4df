import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // OCPP 1.6 StartTransaction.conf: the CSMS chooses an integer transaction id.
  await sql`create sequence ocpp16_transaction_id_seq as integer start with 1`.execute(db);

  await db.schema
    .createTable('transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('ocpp_version', 'text', (c) => c.notNull())
    .addColumn('ocpp_transaction_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer')
    .addColumn('connector_id', 'integer')
    .addColumn('id_token', 'text')
    .addColumn('id_token_type', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('stopped_at', 'timestamptz')
    .addColumn('meter_start_wh', 'double precision')
    .addColumn('meter_start_at', 'timestamptz')
    .addColumn('meter_stop_wh', 'double precision')
    .addColumn('last_meter_wh', 'double precision')
    .addColumn('last_meter_at', 'timestamptz')
    .addColumn('stop_reason', 'text')
    .addColumn('charging_state', 'text')
    .addColumn('offline', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('flags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('remote_start_id', 'integer')
    .addColumn('reservation_id', 'integer')
    .addColumn('max_seq_no', 'integer')
    .addColumn('seq_no_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_event_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    // Transactions outlive the station record on purpose: they are billing evidence.
    .addUniqueConstraint('transactions_station_ocpp_id_uq', ['station_id', 'ocpp_transaction_id'])
    .execute();
  await db.schema.createIndex('transactions_state_idx').on('transactions').columns(['station_id', 'state']).execute();
  await db.schema.createIndex('transactions_token_idx').on('transactions').column('id_token').execute();
  await db.schema.createIndex('transactions_started_idx').on('transactions').column('started_at').execute();

  await db.schema
    .createTable('transaction_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('transactions.id').onDelete('cascade'))
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('seq_no', 'integer')
    .addColumn('trigger_reason', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('offline', 'boolean', (c) => c.notNull())
    .addColumn('summary', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('transaction_events_dedupe_uq', ['station_id', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('transaction_events_tx_idx').on('transaction_events').columns(['transaction_id', 'occurred_at']).execute();

  await db.schema
    .createTable('transaction_meter_values')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('transactions.id').onDelete('cascade'))
    .addColumn('sampled_at', 'timestamptz', (c) => c.notNull())
    .addColumn('measurand', 'text', (c) => c.notNull())
    .addColumn('phase', 'text')
    .addColumn('location', 'text')
    .addColumn('context', 'text')
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('unit', 'text')
    .execute();
  await db.schema
    .createIndex('transaction_meter_values_tx_idx')
    .on('transaction_meter_values')
    .columns(['transaction_id', 'sampled_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['transaction_meter_values', 'transaction_events', 'transactions']) await db.schema.dropTable(table).ifExists().execute();
  await sql`drop sequence if exists ocpp16_transaction_id_seq`.execute(db);
}
