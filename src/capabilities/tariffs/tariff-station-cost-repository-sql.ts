/** Kysely adapter of the station-cost port: one SQL for PGlite and PostgreSQL. */
import type { Selectable } from 'kysely';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { readInScope } from '../../storage/tenant-reads.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { StationCostsTable } from '../../storage/tables/station-cost-tables.ts';
import type { StationCost, StationCostStatus } from './tariff-station-cost.ts';
import type { StationCostFilter, StationCostRecord, StationCostRepository } from './tariff-station-cost-repository.ts';

function toRecord(row: Selectable<StationCostsTable>): StationCostRecord {
  return {
    transactionId: row.transaction_id,
    tenantId: row.tenant_id,
    stationId: row.station_id,
    cdrId: row.cdr_id,
    status: row.status as StationCostStatus,
    flagged: row.flagged,
    compared: row.compared as StationCostRecord['compared'],
    difference: row.difference_minor,
    station: row.station as unknown as StationCost,
    ours: row.ours as unknown as StationCostRecord['ours'],
    checkedAt: asDate(row.checked_at) as Date,
  };
}

export class SqlStationCostRepository implements StationCostRepository {
  constructor(private readonly db: Database) {}

  async save(r: StationCostRecord): Promise<void> {
    const values = {
      tenant_id: r.tenantId,
      station_id: r.stationId,
      cdr_id: r.cdrId,
      status: r.status,
      flagged: r.flagged,
      compared: r.compared,
      difference_minor: r.difference,
      station: JSON.stringify(r.station),
      ours: JSON.stringify(r.ours),
      checked_at: r.checkedAt,
    };
    await this.db
      .insertInto('station_costs')
      .values({ transaction_id: r.transactionId, ...values })
      .onConflict((oc) => oc.column('transaction_id').doUpdateSet(values))
      .execute();
  }

  async find(transactionId: string): Promise<StationCostRecord | null> {
    const row = await this.db.selectFrom('station_costs').selectAll().where('transaction_id', '=', transactionId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  list(filter: StationCostFilter): Promise<{ items: StationCostRecord[]; total: number }> {
    return readInScope(this.db, filter.scope, async (db) => {
      let query = db.selectFrom('station_costs').where(inScope({ station: 'station_costs.station_id', tenant: 'station_costs.tenant_id' }, filter.scope));
      if (filter.stationId !== undefined) query = query.where('station_id', '=', filter.stationId);
      if (filter.flagged !== undefined) query = query.where('flagged', '=', filter.flagged);
      const rows = await query.selectAll().orderBy('checked_at', 'desc').orderBy('transaction_id').limit(filter.limit).offset(filter.offset).execute();
      const counted = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst();
      return { items: rows.map(toRecord), total: Number(counted?.n ?? 0) };
    });
  }
}
