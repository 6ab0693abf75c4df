import { sql, type Kysely } from 'kysely';
import { addTenantRowPolicy } from '../tenant-row-policy.ts';

/**
 * Issue 15: card holds. One row per hold, written over its version (guarded like transactions),
 * and an append-only log of every transition and gateway answer (the money's audit trail, and
 * what reconciliation reads). Webhook event ids are kept so a duplicate delivery changes nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payment_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer')
    .addColumn('id_token', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('authorized_minor', 'bigint', (c) => c.notNull())
    .addColumn('capture_minor', 'bigint')
    .addColumn('shortfall_minor', 'bigint', (c) => c.notNull())
    .addColumn('cdr_id', 'text')
    .addColumn('gateway', 'text', (c) => c.notNull())
    .addColumn('gateway_ref', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('increments', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await sql`create unique index payment_holds_token_idx on payment_holds (id_token)`.execute(db);
  await sql`create index payment_holds_transaction_idx on payment_holds (transaction_id) where transaction_id is not null`.execute(db);
  await sql`create index payment_holds_open_idx on payment_holds (updated_at) where state not in ('declined', 'captured', 'released', 'expired')`.execute(db);
  await db.schema
    .createTable('payment_hold_events')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('hold_id', 'text', (c) => c.notNull().references('payment_holds.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index payment_hold_events_hold_idx on payment_hold_events (hold_id, id)`.execute(db);
  await db.schema
    .createTable('payment_webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await addTenantRowPolicy(db, 'payment_holds');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payment_webhook_events').ifExists().execute();
  await db.schema.dropTable('payment_hold_events').ifExists().execute();
  await db.schema.dropTable('payment_holds').ifExists().execute();
}
