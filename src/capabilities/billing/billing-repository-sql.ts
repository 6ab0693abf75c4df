/** Kysely adapter of the billing port: one SQL for PGlite and PostgreSQL. */
import { sql, type Selectable } from 'kysely';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { readInScope } from '../../storage/tenant-reads.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { CdrsTable } from '../../storage/tables/billing-tables.ts';
import type { Cdr, CdrMeter } from './billing-cdr.ts';
import type { BillingRepository, BillingSettings, CdrFilter, PricingPin } from './billing-repository.ts';
import type { CostPeriod } from '../tariffs/index.ts';
import { isUniqueViolation } from '../../storage/unique-violation.ts';

const minor = (value: string | number | null) => (value === null ? null : Number(value));

function toCdr(row: Selectable<CdrsTable>): Cdr {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    transactionId: row.transaction_id,
    sequence: row.sequence,
    kind: row.kind as Cdr['kind'],
    corrects: row.corrects,
    transactionVersion: row.transaction_version,
    stationId: row.station_id,
    evseId: row.evse_id,
    connectorId: row.connector_id,
    idToken: row.id_token,
    startedAt: asDate(row.started_at) as Date,
    stoppedAt: asDate(row.stopped_at) as Date,
    energyWh: row.energy_wh,
    currency: row.currency,
    tariffId: row.tariff_id,
    tariffVersion: row.tariff_version,
    totalExclTax: row.total_excl_tax,
    totalInclTax: row.total_incl_tax,
    totalExclTaxMinor: minor(row.total_excl_tax_minor),
    totalInclTaxMinor: minor(row.total_incl_tax_minor),
    periods: row.periods as CostPeriod[],
    meter: row.meter as unknown as CdrMeter,
    estimated: row.estimated,
    createdAt: asDate(row.created_at) as Date,
  };
}

export class SqlBillingRepository implements BillingRepository {
  constructor(private readonly db: Database) {}

  async pin(transactionId: string): Promise<PricingPin | null> {
    const row = await this.db.selectFrom('transaction_pricing').selectAll().where('transaction_id', '=', transactionId).executeTakeFirst();
    if (!row) return null;
    return {
      transactionId: row.transaction_id,
      tenantId: row.tenant_id,
      tariffId: row.tariff_id,
      tariffVersion: row.tariff_version,
      assignmentId: row.assignment_id,
      tokenGroup: row.token_group,
      timeZone: row.time_zone,
      pinnedAt: asDate(row.pinned_at) as Date,
    };
  }

  async savePin(pin: PricingPin): Promise<PricingPin> {
    await this.db
      .insertInto('transaction_pricing')
      .values({ transaction_id: pin.transactionId, tenant_id: pin.tenantId, tariff_id: pin.tariffId, tariff_version: pin.tariffVersion, assignment_id: pin.assignmentId, token_group: pin.tokenGroup, time_zone: pin.timeZone, pinned_at: pin.pinnedAt })
      .onConflict((oc) => oc.column('transaction_id').doNothing())
      .execute();
    return (await this.pin(pin.transactionId)) ?? pin;
  }

  async cdrsOf(transactionId: string): Promise<Cdr[]> {
    const rows = await this.db.selectFrom('cdrs').selectAll().where('transaction_id', '=', transactionId).orderBy('sequence').execute();
    return rows.map(toCdr);
  }

  async addCdrs(cdrs: readonly Cdr[]): Promise<boolean> {
    if (cdrs.length === 0) return true;
    try {
      await this.db
        .insertInto('cdrs')
        .values(
          cdrs.map((c) => ({
            id: c.id,
            tenant_id: c.tenantId,
            transaction_id: c.transactionId,
            sequence: c.sequence,
            kind: c.kind,
            corrects: c.corrects,
            transaction_version: c.transactionVersion,
            station_id: c.stationId,
            evse_id: c.evseId,
            connector_id: c.connectorId,
            id_token: c.idToken,
            started_at: c.startedAt,
            stopped_at: c.stoppedAt,
            energy_wh: c.energyWh,
            currency: c.currency,
            tariff_id: c.tariffId,
            tariff_version: c.tariffVersion,
            total_excl_tax: c.totalExclTax,
            total_incl_tax: c.totalInclTax,
            total_excl_tax_minor: c.totalExclTaxMinor,
            total_incl_tax_minor: c.totalInclTaxMinor,
            periods: JSON.stringify(c.periods),
            meter: JSON.stringify(c.meter),
            estimated: c.estimated,
            created_at: c.createdAt,
          })),
        )
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  listCdrs(filter: CdrFilter): Promise<{ items: Cdr[]; total: number }> {
    return readInScope(this.db, filter.scope, async (db) => {
      let query = db.selectFrom('cdrs').where(inScope({ station: 'cdrs.station_id', tenant: 'cdrs.tenant_id' }, filter.scope));
      if (filter.stationId !== undefined) query = query.where('station_id', '=', filter.stationId);
      if (filter.transactionId !== undefined) query = query.where('transaction_id', '=', filter.transactionId);
      if (filter.from) query = query.where('stopped_at', '>=', filter.from);
      if (filter.to) query = query.where('stopped_at', '<', filter.to);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('stopped_at', 'desc').orderBy('transaction_id').orderBy('sequence').limit(filter.limit).offset(filter.offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toCdr), total: Number(count.n) };
    });
  }

  async findCdr(id: string): Promise<Cdr | null> {
    const row = await this.db.selectFrom('cdrs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCdr(row) : null;
  }

  async markBilled(transactionId: string, version: number): Promise<void> {
    await this.db.updateTable('transaction_pricing').set({ billed_version: version }).where('transaction_id', '=', transactionId).where((eb) => eb.or([eb('billed_version', 'is', null), eb('billed_version', '<', version)])).execute();
  }

  async unbilled(limit: number, since: Date | null): Promise<string[]> {
    const rows = await sql<{ id: string }>`
      select t.id from transactions t
      left join transaction_pricing p on p.transaction_id = t.id
      where t.state = 'completed' ${since ? sql`and t.stopped_at >= ${since}` : sql``}
        and t.version > coalesce(p.billed_version, 0)
      order by t.stopped_at, t.id
      limit ${limit}`.execute(this.db);
    return rows.rows.map((row) => row.id);
  }

  async settings(tenantId: string, siteId: string | null): Promise<BillingSettings | null> {
    const row = await this.db.selectFrom('billing_settings').selectAll().where('tenant_id', '=', tenantId).where('site_id', '=', siteId ?? '').executeTakeFirst();
    return row ? { tenantId: row.tenant_id, siteId: row.site_id === '' ? null : row.site_id, timeZone: row.time_zone, updatedAt: asDate(row.updated_at) as Date } : null;
  }

  async saveSettings(s: BillingSettings): Promise<void> {
    await this.db
      .insertInto('billing_settings')
      .values({ tenant_id: s.tenantId, site_id: s.siteId ?? '', time_zone: s.timeZone, updated_at: s.updatedAt })
      .onConflict((oc) => oc.columns(['tenant_id', 'site_id']).doUpdateSet({ time_zone: s.timeZone, updated_at: s.updatedAt }))
      .execute();
  }
}
