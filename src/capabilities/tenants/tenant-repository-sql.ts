/** The tenants repository over Kysely (one SQL for PGlite and PostgreSQL). */
import type { Selectable } from 'kysely';
import type { Database } from '../../storage/database.ts';
import { asDate } from '../../storage/as-date.ts';
import type { TenantsTable } from '../../storage/tables/tenant-tables.ts';
import type { Tenant } from './tenant.ts';
import type { TenantRepository } from './tenant-repository.ts';

const toTenant = (row: Selectable<TenantsTable>): Tenant => ({ id: row.id, name: row.name, createdAt: asDate(row.created_at) as Date });

export class SqlTenantRepository implements TenantRepository {
  constructor(private readonly db: Database) {}

  async create(tenant: Tenant): Promise<boolean> {
    const result = await this.db
      .insertInto('tenants')
      .values({ id: tenant.id, name: tenant.name, created_at: tenant.createdAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async find(id: string): Promise<Tenant | null> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTenant(row) : null;
  }

  async list(): Promise<Tenant[]> {
    return (await this.db.selectFrom('tenants').selectAll().orderBy('id').execute()).map(toTenant);
  }

  async siteTenant(siteId: string): Promise<string | null> {
    const row = await this.db.selectFrom('sites').select('tenant_id').where('id', '=', siteId).executeTakeFirst();
    return row?.tenant_id ?? null;
  }

  async claimSite(siteId: string, tenantId: string): Promise<string> {
    await this.db.insertInto('sites').values({ id: siteId, tenant_id: tenantId }).onConflict((oc) => oc.column('id').doNothing()).execute();
    return (await this.siteTenant(siteId)) as string;
  }
}
