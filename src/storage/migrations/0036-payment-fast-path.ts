import type { Kysely } from 'kysely';

/**
 * Issue 15, the fast path: a hold remembers the exposure bound its session started under (null:
 * the session waited for the hold), so the bound a session runs under is the one decided at its start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payment_holds').addColumn('exposure_cap_minor', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payment_holds').dropColumn('exposure_cap_minor').execute();
}
