/** Kysely adapter of the tariffs port: one SQL for PGlite and PostgreSQL. */
import type { Selectable } from 'kysely';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { readInScope } from '../../storage/tenant-reads.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { TariffAssignmentsTable, TariffVersionsTable, TariffsTable } from '../../storage/tables/tariffs-tables.ts';
import type { TariffAssignment } from './tariff-assignment.ts';
import type { TariffModel } from './tariff.ts';
import type { StoredTariff, TariffRepository } from './tariff-repository.ts';
import { isUniqueViolation } from '../../storage/unique-violation.ts';


function toStored(head: Selectable<TariffsTable>, version: Selectable<TariffVersionsTable>): StoredTariff {
  return {
    id: head.id,
    tenantId: head.tenant_id,
    currency: head.currency,
    version: version.version,
    validFrom: asDate(version.valid_from) as Date,
    tariff: version.tariff as unknown as TariffModel,
    createdAt: asDate(head.created_at) as Date,
  };
}

export class SqlTariffRepository implements TariffRepository {
  constructor(private readonly db: Database) {}

  async create(t: StoredTariff): Promise<boolean> {
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('tariffs').values({ id: t.id, tenant_id: t.tenantId, currency: t.currency, current_version: t.version, created_at: t.createdAt, updated_at: t.createdAt }).execute();
        await trx.insertInto('tariff_versions').values({ tariff_id: t.id, version: t.version, tenant_id: t.tenantId, valid_from: t.validFrom, tariff: JSON.stringify(t.tariff) }).execute();
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async addVersion(id: string, tariff: TariffModel, validFrom: Date): Promise<StoredTariff | null> {
    return this.db.transaction().execute(async (trx) => {
      // The row lock serialises two changes of one tariff: each gets its own version number.
      const head = await trx.updateTable('tariffs').set((eb) => ({ current_version: eb('current_version', '+', 1), updated_at: validFrom, currency: tariff.currency })).where('id', '=', id).returningAll().executeTakeFirst();
      if (!head) return null;
      const version = await trx
        .insertInto('tariff_versions')
        .values({ tariff_id: id, version: head.current_version, tenant_id: head.tenant_id, valid_from: validFrom, tariff: JSON.stringify(tariff) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStored(head, version);
    });
  }

  async find(id: string): Promise<StoredTariff | null> {
    const head = await this.db.selectFrom('tariffs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!head) return null;
    const version = await this.db.selectFrom('tariff_versions').selectAll().where('tariff_id', '=', id).where('version', '=', head.current_version).executeTakeFirstOrThrow();
    return toStored(head, version);
  }

  list(scope: TenantScope): Promise<StoredTariff[]> {
    return readInScope(this.db, scope, async (db) => {
      const heads = await db.selectFrom('tariffs').selectAll().where(inScope({ station: 'tariffs.id', tenant: 'tariffs.tenant_id' }, scope)).orderBy('id').execute();
      const out: StoredTariff[] = [];
      for (const head of heads) {
        const version = await db.selectFrom('tariff_versions').selectAll().where('tariff_id', '=', head.id).where('version', '=', head.current_version).executeTakeFirstOrThrow();
        out.push(toStored(head, version));
      }
      return out;
    });
  }

  async versions(id: string): Promise<StoredTariff[]> {
    const head = await this.db.selectFrom('tariffs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!head) return [];
    const rows = await this.db.selectFrom('tariff_versions').selectAll().where('tariff_id', '=', id).orderBy('version').execute();
    return rows.map((row) => toStored(head, row));
  }

  async version(id: string, version: number): Promise<StoredTariff | null> {
    const head = await this.db.selectFrom('tariffs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!head) return null;
    const row = await this.db.selectFrom('tariff_versions').selectAll().where('tariff_id', '=', id).where('version', '=', version).executeTakeFirst();
    return row ? toStored(head, row) : null;
  }

  async versionAt(id: string, at: Date): Promise<StoredTariff | null> {
    const head = await this.db.selectFrom('tariffs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!head) return null;
    const row = await this.db.selectFrom('tariff_versions').selectAll().where('tariff_id', '=', id).where('valid_from', '<=', at).orderBy('valid_from', 'desc').orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row ? toStored(head, row) : null;
  }

  async assign(a: Omit<TariffAssignment, 'id'>): Promise<TariffAssignment> {
    const row = await this.db
      .insertInto('tariff_assignments')
      .values({ tenant_id: a.tenantId, site_id: a.siteId, station_id: a.stationId, evse_id: a.evseId, connector_id: a.connectorId, token_group: a.tokenGroup, tariff_id: a.tariffId, valid_from: a.validFrom, created_at: a.validFrom })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAssignment(row);
  }

  async assignmentsFor(tenantId: string, stationId: string, siteId: string | null, at: Date): Promise<TariffAssignment[]> {
    const rows = await this.db
      .selectFrom('tariff_assignments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('valid_from', '<=', at)
      .where((eb) => eb.or([eb('station_id', '=', stationId), ...(siteId !== null ? [eb('site_id', '=', siteId)] : []), eb.and([eb('station_id', 'is', null), eb('site_id', 'is', null)])]))
      .execute();
    return rows.map(toAssignment);
  }

  assignments(scope: TenantScope, filter: { stationId?: string; siteId?: string; limit: number }): Promise<TariffAssignment[]> {
    return readInScope(this.db, scope, async (db) => {
      let query = db.selectFrom('tariff_assignments').selectAll().where(inScope({ station: 'tariff_assignments.station_id', tenant: 'tariff_assignments.tenant_id' }, scope));
      if (filter.stationId !== undefined) query = query.where('station_id', '=', filter.stationId);
      if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
      const rows = await query.orderBy('valid_from', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map(toAssignment);
    });
  }
}

function toAssignment(row: Selectable<TariffAssignmentsTable>): TariffAssignment {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    siteId: row.site_id,
    stationId: row.station_id,
    evseId: row.evse_id,
    connectorId: row.connector_id,
    tokenGroup: row.token_group,
    tariffId: row.tariff_id,
    validFrom: asDate(row.valid_from) as Date,
  };
}
