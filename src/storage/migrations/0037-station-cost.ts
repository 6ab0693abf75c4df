import { sql, type Kysely } from 'kysely';
import { addTenantRowPolicy } from '../tenant-row-policy.ts';

/**
 * Issue 15, OCPP 2.1 stations that handle money themselves:
 * - station_costs: what a station that prices locally said a session cost (TransactionEvent
 *   costDetails), beside our CDR's total, and whether the two disagree. One row per transaction,
 *   rewritten when a correction replaces the CDR. The CDR itself is untouched.
 * - payment_settlements: a station's payment terminal settling a session (NotifySettlement), as
 *   received. A retried message (same station, PSP reference, status and time) is kept once; the
 *   station's transaction id is kept as it sent it, our transaction is found when it is read (the
 *   settlement may arrive before the transaction's events, or name none: cancelled before the start).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('station_costs')
    .addColumn('transaction_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('cdr_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('flagged', 'boolean', (c) => c.notNull())
    .addColumn('compared', 'text')
    .addColumn('difference_minor', 'text')
    .addColumn('station', 'jsonb', (c) => c.notNull())
    .addColumn('ours', 'jsonb', (c) => c.notNull())
    .addColumn('checked_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index station_costs_tenant_idx on station_costs (tenant_id, checked_at desc)`.execute(db);
  await sql`create index station_costs_station_idx on station_costs (station_id, checked_at desc)`.execute(db);
  await addTenantRowPolicy(db, 'station_costs');

  await db.schema
    .createTable('payment_settlements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('ocpp_transaction_id', 'text')
    .addColumn('psp_ref', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_info', 'text')
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('settled_at', 'timestamptz', (c) => c.notNull())
    .addColumn('receipt_id', 'text')
    .addColumn('receipt_url', 'text')
    .addColumn('vat_number', 'text')
    .addColumn('vat_company', 'jsonb')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index payment_settlements_message_idx on payment_settlements (station_id, psp_ref, status, settled_at)`.execute(db);
  await sql`create index payment_settlements_station_idx on payment_settlements (station_id, settled_at desc)`.execute(db);
  await addTenantRowPolicy(db, 'payment_settlements');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payment_settlements').ifExists().execute();
  await db.schema.dropTable('station_costs').ifExists().execute();
}
