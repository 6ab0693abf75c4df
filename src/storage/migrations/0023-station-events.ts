import type { Kysely } from 'kysely';

/** Issue 14: the station-events capability's tables. */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
