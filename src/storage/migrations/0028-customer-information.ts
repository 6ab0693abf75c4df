import { sql, type Kysely } from 'kysely';

/**
 * Issue 14: customer information requests (report and/or clear what a station holds about one
 * customer) and the parts of the station's reports. Personal data: rows are deleted after the
 * retention period (customer-information.ts), and with their station.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_information_requests')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('request_id', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('requested_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('report', 'boolean')
    .addColumn('clear', 'boolean')
    .addColumn('subject', 'jsonb')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('station_status', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('flags', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_information_requests_pk', ['station_id', 'request_id'])
    .execute();
  await sql`create index customer_information_requests_created_idx on customer_information_requests (created_at)`.execute(db);
  await db.schema
    .createTable('customer_information_parts')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'integer', (c) => c.notNull())
    .addColumn('seq_no', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('tbc', 'boolean', (c) => c.notNull())
    .addColumn('generated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_information_parts_pk', ['station_id', 'request_id', 'seq_no'])
    .addForeignKeyConstraint('customer_information_parts_request_fk', ['station_id', 'request_id'], 'customer_information_requests', ['station_id', 'request_id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_information_parts').ifExists().execute();
  await db.schema.dropTable('customer_information_requests').ifExists().execute();
}
