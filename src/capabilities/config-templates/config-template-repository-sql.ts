/** Kysely adapter of the config-templates port: one SQL for PGlite and PostgreSQL. */
import { sql, type Selectable } from 'kysely';
import { scopedSites, scopedTenant, type TenantScope } from '../../kernel/tenant-scope.ts';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { readInScope } from '../../storage/tenant-reads.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { ConfigReconciliationsTable, ConfigTemplatesTable } from '../../storage/tables/config-templates-tables.ts';
import { summariseDrift, type ConfigTemplate, type DriftItem, type TemplateMatch, type TemplateSetting } from './config-template.ts';
import type { ConfigTemplateRepository, DriftTotals, Reconciliation } from './config-template-repository.ts';

const RECONCILIATION_COLUMNS = { station: 'config_reconciliations.station_id', tenant: 'config_reconciliations.tenant_id' };

function toTemplate(row: Selectable<ConfigTemplatesTable>): ConfigTemplate {
  const match: TemplateMatch = {
    ...(row.site_id !== null ? { siteId: row.site_id } : {}),
    ...(row.vendor !== null ? { vendor: row.vendor } : {}),
    ...(row.model !== null ? { model: row.model } : {}),
  };
  return { id: row.id, tenantId: row.tenant_id, name: row.name, match, settings: row.settings, createdAt: asDate(row.created_at) as Date, updatedAt: asDate(row.updated_at) as Date };
}

function toReconciliation(row: Selectable<ConfigReconciliationsTable>): Reconciliation {
  return {
    stationId: row.station_id,
    tenantId: row.tenant_id,
    trigger: row.trigger,
    startedAt: asDate(row.started_at) as Date,
    updatedAt: asDate(row.updated_at) as Date,
    settledAt: asDate(row.settled_at),
    items: row.items as unknown as DriftItem[],
  };
}

const columnsOf = (t: ConfigTemplate) => ({
  name: t.name,
  site_id: t.match.siteId ?? null,
  vendor: t.match.vendor ?? null,
  model: t.match.model ?? null,
  settings: JSON.stringify(t.settings),
  updated_at: t.updatedAt,
});

export class SqlConfigTemplateRepository implements ConfigTemplateRepository {
  constructor(private readonly db: Database) {}

  async create(t: ConfigTemplate): Promise<void> {
    await this.db.insertInto('config_templates').values({ id: t.id, tenant_id: t.tenantId, created_at: t.createdAt, ...columnsOf(t) }).execute();
  }

  async update(t: ConfigTemplate): Promise<boolean> {
    const result = await this.db.updateTable('config_templates').set(columnsOf(t)).where('id', '=', t.id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('config_templates').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async find(id: string): Promise<ConfigTemplate | null> {
    const row = await this.db.selectFrom('config_templates').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTemplate(row) : null;
  }

  async list(scope: TenantScope): Promise<ConfigTemplate[]> {
    // A template belongs to its tenant (and, when it names one, to a site: a caller limited to sites sees those).
    const tenantId = scopedTenant(scope);
    const sites = scopedSites(scope);
    let query = this.db.selectFrom('config_templates').selectAll();
    if (tenantId !== null) query = query.where('tenant_id', '=', tenantId);
    if (sites) query = sites.length === 0 ? query.where(sql<boolean>`false`) : query.where('site_id', 'in', sites);
    const rows = await query.orderBy('name').orderBy('id').execute();
    return rows.map(toTemplate);
  }

  async ofTenant(tenantId: string): Promise<ConfigTemplate[]> {
    const rows = await this.db.selectFrom('config_templates').selectAll().where('tenant_id', '=', tenantId).execute();
    return rows.map(toTemplate);
  }

  async saveReconciliation(r: Reconciliation): Promise<void> {
    const summary = summariseDrift(r.items);
    const values = {
      drifted: summary.drifted,
      not_fixed: summary.notFixed,
      tenant_id: r.tenantId,
      trigger: r.trigger,
      started_at: r.startedAt,
      updated_at: r.updatedAt,
      settled_at: r.settledAt,
      items: JSON.stringify(r.items),
    };
    await this.db
      .insertInto('config_reconciliations')
      .values({ station_id: r.stationId, ...values })
      .onConflict((oc) => oc.column('station_id').doUpdateSet(values))
      .execute();
  }

  async reconciliation(stationId: string): Promise<Reconciliation | null> {
    const row = await this.db.selectFrom('config_reconciliations').selectAll().where('station_id', '=', stationId).executeTakeFirst();
    return row ? toReconciliation(row) : null;
  }

  driftTotals(scope: TenantScope): Promise<DriftTotals> {
    return readInScope(this.db, scope, async (db) => {
      const row = await db
        .selectFrom('config_reconciliations')
        .where(inScope(RECONCILIATION_COLUMNS, scope))
        .select([
          sql<string>`count(*)`.as('stations'),
          sql<string>`count(settled_at)`.as('settled'),
          sql<string>`count(*) filter (where drifted > 0)`.as('with_drift'),
          sql<string>`count(*) filter (where not_fixed > 0)`.as('with_unfixed'),
        ])
        .executeTakeFirstOrThrow();
      return { stations: Number(row.stations), settled: Number(row.settled), withDrift: Number(row.with_drift), withUnfixed: Number(row.with_unfixed) };
    });
  }

  driftPage(scope: TenantScope, filter: { onlyNotFixed: boolean; limit: number; offset: number }): Promise<{ items: Reconciliation[]; total: number }> {
    return readInScope(this.db, scope, async (db) => {
      let query = db.selectFrom('config_reconciliations').where(inScope(RECONCILIATION_COLUMNS, scope));
      if (filter.onlyNotFixed) query = query.where('not_fixed', '>', 0);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('not_fixed', 'desc').orderBy('station_id').limit(filter.limit).offset(filter.offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toReconciliation), total: Number(count.total) };
    });
  }

  async migrated(stationId: string): Promise<boolean> {
    return (await this.db.selectFrom('station_migrations').select('station_id').where('station_id', '=', stationId).executeTakeFirst()) !== undefined;
  }

  async recordMigration(stationId: string, tenantId: string, at: Date, settings: readonly TemplateSetting[]): Promise<boolean> {
    const result = await this.db
      .insertInto('station_migrations')
      .values({ station_id: stationId, tenant_id: tenantId, applied_at: at, settings: JSON.stringify(settings) })
      .onConflict((oc) => oc.column('station_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async unsettled(): Promise<Reconciliation[]> {
    const rows = await this.db.selectFrom('config_reconciliations').selectAll().where('settled_at', 'is', null).execute();
    return rows.map(toReconciliation);
  }
}
