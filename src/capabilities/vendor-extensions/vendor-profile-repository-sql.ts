/** Vendor profiles over Kysely (one SQL for PGlite and PostgreSQL). */
import { sql, type Selectable } from 'kysely';
import type { Database } from '../../storage/database.ts';
import { asDate } from '../../storage/as-date.ts';
import type { VendorProfilesTable } from '../../storage/tables/vendor-extensions-tables.ts';
import type { StoredProfile } from './vendor-records.ts';
import type { ProfileWrite, VendorProfileRepository } from './vendor-repository.ts';

const toProfile = (row: Selectable<VendorProfilesTable>): StoredProfile => ({
  tenantId: row.tenant_id,
  id: row.id,
  vendorId: row.vendor_id,
  document: JSON.parse(row.document) as Record<string, unknown>,
  revision: row.revision,
  createdAt: asDate(row.created_at) as Date,
  updatedAt: asDate(row.updated_at) as Date,
});

export class SqlVendorProfileRepository implements VendorProfileRepository {
  constructor(private readonly db: Database) {}

  async insert(profile: ProfileWrite): Promise<boolean> {
    const result = await this.db
      .insertInto('vendor_profiles')
      .values({ tenant_id: profile.tenantId, id: profile.id, vendor_id: profile.vendorId, document: profile.documentText, revision: 1, created_at: profile.at, updated_at: profile.at })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async replace(profile: ProfileWrite): Promise<number | null> {
    const row = await this.db
      .updateTable('vendor_profiles')
      .set({ vendor_id: profile.vendorId, document: profile.documentText, revision: sql<number>`revision + 1`, updated_at: profile.at })
      .where('tenant_id', '=', profile.tenantId)
      .where('id', '=', profile.id)
      .returning('revision')
      .executeTakeFirst();
    return row?.revision ?? null;
  }

  async upsertAll(profiles: readonly ProfileWrite[]): Promise<{ created: number; updated: number }> {
    return this.db.transaction().execute(async (trx) => {
      let created = 0;
      for (const profile of profiles) {
        const row = await trx
          .insertInto('vendor_profiles')
          .values({ tenant_id: profile.tenantId, id: profile.id, vendor_id: profile.vendorId, document: profile.documentText, revision: 1, created_at: profile.at, updated_at: profile.at })
          .onConflict((oc) =>
            oc.columns(['tenant_id', 'id']).doUpdateSet({
              vendor_id: (eb) => eb.ref('excluded.vendor_id'),
              document: (eb) => eb.ref('excluded.document'),
              revision: sql<number>`vendor_profiles.revision + 1`,
              updated_at: (eb) => eb.ref('excluded.updated_at'),
            }),
          )
          .returning('revision')
          .executeTakeFirstOrThrow();
        if (row.revision === 1) created += 1;
      }
      return { created, updated: profiles.length - created };
    });
  }

  async find(tenantId: string, id: string): Promise<StoredProfile | null> {
    const row = await this.db.selectFrom('vendor_profiles').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row ? toProfile(row) : null;
  }

  async list(tenantId: string): Promise<StoredProfile[]> {
    return (await this.db.selectFrom('vendor_profiles').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute()).map(toProfile);
  }

  async ofVendor(tenantId: string, vendorId: string): Promise<StoredProfile[]> {
    const rows = await this.db
      .selectFrom('vendor_profiles')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(sql<boolean>`lower(vendor_id) = lower(${vendorId})`)
      .orderBy('id')
      .execute();
    return rows.map(toProfile);
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('vendor_profiles').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
