import type { Kysely } from 'kysely';

/**
 * Leases for background work that must run on one node at a time in a
 * cluster (src/cluster/lease-sql.ts, ADR 0013). One row per job name; the
 * holder renews before expires_at, anyone may take an expired lease.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cluster_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cluster_leases').ifExists().execute();
}
