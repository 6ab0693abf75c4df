/**
 * Leases in PostgreSQL (ADR 0013): one row per job, taken or renewed by a
 * single upsert that only succeeds for the holder or once the lease ran out.
 * Expiry is judged by the database's clock, so node clocks need not agree.
 * The same SQL runs on PGlite, where there is only ever one holder.
 */
import { sql } from 'kysely';
import type { Database } from '../storage/database.ts';
import type { Leases } from './lease.ts';

export class SqlLeases implements Leases {
  constructor(
    private readonly db: Database,
    readonly holder: string,
  ) {}

  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const ttl = sql`${Math.max(1, Math.round(ttlMs))} * interval '1 millisecond'`;
    const row = await this.db
      .insertInto('cluster_leases')
      .values({ name, holder: this.holder, acquired_at: sql`now()`, expires_at: sql`now() + ${ttl}` })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({
            holder: (eb) => eb.ref('excluded.holder'),
            // Kept across renewals: when this holder took the lease.
            acquired_at: sql`case when cluster_leases.holder = excluded.holder then cluster_leases.acquired_at else excluded.acquired_at end`,
            expires_at: (eb) => eb.ref('excluded.expires_at'),
          })
          .where((eb) => eb.or([eb('cluster_leases.holder', '=', this.holder), eb('cluster_leases.expires_at', '<', sql<Date>`now()`)])),
      )
      .returning('holder')
      .executeTakeFirst();
    return row?.holder === this.holder;
  }

  async release(name: string): Promise<void> {
    await this.db.deleteFrom('cluster_leases').where('name', '=', name).where('holder', '=', this.holder).execute();
  }

  /** Who holds `name` now (diagnostics and tests). */
  async holderOf(name: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('cluster_leases')
      .select('holder')
      .where('name', '=', name)
      .where('expires_at', '>=', sql<Date>`now()`)
      .executeTakeFirst();
    return row?.holder ?? null;
  }
}
