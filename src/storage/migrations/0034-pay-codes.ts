import { sql, type Kysely } from 'kysely';
import { addTenantRowPolicy } from '../tenant-row-policy.ts';

/**
 * Issue 15, the pay page: one short code per EVSE, for the QR sticker and the address printed
 * under it (/p/{code}). A code is given once and never changes, so a printed sticker stays valid;
 * one EVSE has one code (unique), and a code names one EVSE (its key).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pay_codes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index pay_codes_evse_idx on pay_codes (station_id, evse_id)`.execute(db);
  await addTenantRowPolicy(db, 'pay_codes');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pay_codes').ifExists().execute();
}
