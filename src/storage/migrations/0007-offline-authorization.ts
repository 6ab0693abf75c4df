import type { Kysely } from 'kysely';

/** Offline authorization switches per site and per station, and what each station accepted (OCPP 1.6 §3.5, 2.0.1 C12-C15). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('offline_authorization_settings')
    .addColumn('scope', 'text', (c) => c.notNull()) // 'site' | 'station'
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('offline_authorization_settings_pk', ['scope', 'scope_id'])
    .execute();
  await db.schema
    .createTable('station_offline_authorization')
    .addColumn('station_id', 'text', (c) => c.primaryKey())
    // setting -> the value the station accepted
    .addColumn('applied', 'jsonb', (c) => c.notNull())
    // setting -> { value, commandId } sent and not yet answered
    .addColumn('pending', 'jsonb', (c) => c.notNull())
    // setting -> { value, status } the station refused (not re-sent at boot until the operator asks again)
    .addColumn('refused', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('station_offline_authorization').ifExists().execute();
  await db.schema.dropTable('offline_authorization_settings').ifExists().execute();
}
