import { sql, type Kysely } from 'kysely';

/**
 * Issue 12: a transaction row is written by more than one node (the node holding the station's
 * socket, and the stuck sweep's lease holder when it closes a session), so every write carries
 * the version it was decided from and is applied only over that version (compare-and-set).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transactions').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update transactions set version = 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transactions').dropColumn('version').execute();
}
