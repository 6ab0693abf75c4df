/** What stations sent under vendor extensions, over Kysely (one SQL for PGlite and PostgreSQL). */
import { sql, type Selectable } from 'kysely';
import type { Database } from '../../storage/database.ts';
import { asDate } from '../../storage/as-date.ts';
import type { VendorDataTransfersTable, VendorEventsTable, VendorMetricsTable } from '../../storage/tables/vendor-extensions-tables.ts';
import { columnText, type DataTransferRecord, type NewDataTransfer, type NormalisedOutput, type Page, type StoredMetric, type StoredVendorEvent, type TransferOutcome } from './vendor-records.ts';
import type { EventFilter, MetricFilter, TransferFilter, VendorDataRepository } from './vendor-repository.ts';
import type { Severity } from './vendor-profile.ts';

const toTransfer = (row: Selectable<VendorDataTransfersTable>): DataTransferRecord => ({
  id: String(row.id),
  tenantId: row.tenant_id,
  stationId: row.station_id,
  vendorId: row.vendor_id,
  messageId: row.message_id,
  payload: JSON.parse(row.payload),
  outcome: row.status as TransferOutcome,
  profileId: row.profile_id,
  flagged: row.flagged,
  problems: JSON.parse(row.problems) as string[],
  receivedAt: asDate(row.received_at) as Date,
});

const toMetric = (row: Selectable<VendorMetricsTable>): StoredMetric => ({
  id: String(row.id),
  stationId: row.station_id,
  profileId: row.profile_id,
  transferId: row.transfer_id === null ? null : String(row.transfer_id),
  name: row.name,
  value: Number(row.value),
  unit: row.unit,
  at: asDate(row.at) as Date,
});

const toEvent = (row: Selectable<VendorEventsTable>): StoredVendorEvent => ({
  id: String(row.id),
  stationId: row.station_id,
  profileId: row.profile_id,
  transferId: row.transfer_id === null ? null : String(row.transfer_id),
  type: row.type,
  severity: row.severity as Severity,
  problem: row.problem,
  detail: row.detail === null ? null : JSON.parse(row.detail),
  at: asDate(row.at) as Date,
});

export class SqlVendorDataRepository implements VendorDataRepository {
  constructor(private readonly db: Database) {}

  async record(transfer: NewDataTransfer, output: NormalisedOutput | null): Promise<string> {
    const write = async (db: Database): Promise<string> => {
      const row = await db
        .insertInto('vendor_data_transfers')
        .values({
          tenant_id: transfer.tenantId,
          station_id: transfer.stationId,
          vendor_id: columnText(transfer.vendorId),
          message_id: transfer.messageId === null ? null : columnText(transfer.messageId),
          payload: JSON.stringify(transfer.payload),
          status: transfer.outcome,
          profile_id: transfer.profileId,
          flagged: transfer.flagged,
          problems: JSON.stringify(transfer.problems),
          received_at: transfer.receivedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = String(row.id);
      if (output) await this.writeOutput(db, output, id);
      return id;
    };
    const hasOutput = output !== null && output.metrics.length + output.events.length > 0;
    return hasOutput ? this.db.transaction().execute((trx) => write(trx)) : write(this.db);
  }

  recordOutput(output: NormalisedOutput, transferId: string | null): Promise<void> {
    return this.writeOutput(this.db, output, transferId);
  }

  private async writeOutput(db: Database, output: NormalisedOutput, transferId: string | null): Promise<void> {
    const base = { tenant_id: output.tenantId, station_id: output.stationId, profile_id: output.profileId, transfer_id: transferId };
    if (output.metrics.length > 0) {
      await db
        .insertInto('vendor_metrics')
        .values(output.metrics.map((m) => ({ ...base, name: m.name, value: m.value, unit: m.unit, at: m.at })))
        .execute();
    }
    if (output.events.length > 0) {
      await db
        .insertInto('vendor_events')
        .values(output.events.map((e) => ({ ...base, type: e.type, severity: e.severity, problem: e.problem, detail: e.detail === null ? null : JSON.stringify(e.detail), at: e.at })))
        .execute();
    }
  }

  async transfers(tenantId: string, stationId: string, filter: TransferFilter): Promise<Page<DataTransferRecord>> {
    let query = this.db.selectFrom('vendor_data_transfers').where('tenant_id', '=', tenantId).where('station_id', '=', stationId);
    if (filter.vendorId !== undefined) query = query.where(sql<boolean>`lower(vendor_id) = lower(${filter.vendorId})`);
    if (filter.messageId !== undefined) query = query.where(sql<boolean>`lower(message_id) = lower(${filter.messageId})`);
    if (filter.flagged !== undefined) query = query.where('flagged', '=', filter.flagged);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toTransfer), total: Number(count.total) };
  }

  async metrics(tenantId: string, stationId: string, filter: MetricFilter): Promise<Page<StoredMetric>> {
    let query = this.db.selectFrom('vendor_metrics').where('tenant_id', '=', tenantId).where('station_id', '=', stationId);
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toMetric), total: Number(count.total) };
  }

  async events(tenantId: string, stationId: string, filter: EventFilter): Promise<Page<StoredVendorEvent>> {
    let query = this.db.selectFrom('vendor_events').where('tenant_id', '=', tenantId).where('station_id', '=', stationId);
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (filter.problem !== undefined) query = query.where('problem', '=', filter.problem);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toEvent), total: Number(count.total) };
  }
}
