/**
 * Kysely adapter of the device-model port: one SQL for PGlite and PostgreSQL. A report part is
 * written as it arrives (its variables upserted in bounded statements, its seqNo recorded), so a
 * 5,000-variable report is never held in memory whole.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../storage/database.ts';
import type { DatabaseSchema } from '../../storage/database-schema.ts';
import { lastPerIdentity, type ConfigurationDialect, type ConfigurationEntry } from './device-model.ts';
import { lastPerMonitor, type Monitor } from './device-model-monitor.ts';
import { afterDuplicate, afterPart, afterUncountedPart, justCompleted, lastSeqNoAfter, OPEN_STATES, type ReportKind, type ReportRequest } from './device-model-report.ts';
import type { ConfigurationQuery, DeviceModelRepository, IncomingPart, PartOutcome } from './device-model-repository.ts';
import { entryOf, entryRow, monitorOf, monitorRow, reportOf, reportRow } from './device-model-rows-sql.ts';

/** Rows per upsert statement: well under PostgreSQL's 65,535 bind parameters (20 a row). */
const CHUNK = 500;

type Db = Database | Transaction<DatabaseSchema>;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class SqlDeviceModelRepository implements DeviceModelRepository {
  constructor(private readonly db: Database) {}

  // --- configuration ---------------------------------------------------------------

  async findEntries(stationId: string, identities: readonly string[]): Promise<ConfigurationEntry[]> {
    if (identities.length === 0) return [];
    const rows = await this.db.selectFrom('device_model_variables').selectAll().where('station_id', '=', stationId).where('identity', 'in', [...identities]).execute();
    return rows.map(entryOf);
  }

  async saveEntries(entries: readonly ConfigurationEntry[]): Promise<void> {
    await upsertEntries(this.db, lastPerIdentity(entries), true);
  }

  async removeEntriesNotIn(stationId: string, dialect: ConfigurationDialect, identities: readonly string[], before: Date): Promise<number> {
    let query = this.db.deleteFrom('device_model_variables').where('station_id', '=', stationId).where('dialect', '=', dialect).where('reported_at', '<', before);
    if (identities.length > 0) query = query.where('identity', 'not in', [...identities]);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async listEntries(stationId: string, query: ConfigurationQuery): Promise<{ items: ConfigurationEntry[]; total: number }> {
    let base = this.db.selectFrom('device_model_variables').where('station_id', '=', stationId);
    if (query.dialect) base = base.where('dialect', '=', query.dialect);
    if (query.component) base = base.where(sql<boolean>`lower(component_name) = ${query.component.toLowerCase()}`);
    if (query.variable) base = base.where(sql<boolean>`lower(coalesce(variable_name, key)) = ${query.variable.toLowerCase()}`);
    if (query.q) base = base.where(sql<boolean>`(key ilike ${like(query.q)} or attributes::text ilike ${like(query.q)})`);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('key').orderBy('evse_id').orderBy('connector_id').orderBy('identity').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(entryOf), total: Number(count.total) };
  }

  // --- reports -----------------------------------------------------------------------

  async nextRequestId(): Promise<number> {
    const { rows } = await sql<{ id: number }>`select nextval('device_model_request_id_seq')::integer as id`.execute(this.db);
    return Number(rows[0]?.id);
  }

  async createReport(report: ReportRequest): Promise<void> {
    await this.db.insertInto('device_model_reports').values(reportRow(report)).execute();
  }

  async findReport(stationId: string, kind: ReportKind, requestId: number): Promise<ReportRequest | null> {
    const row = await this.db.selectFrom('device_model_reports').selectAll().where('station_id', '=', stationId).where('kind', '=', kind).where('request_id', '=', requestId).executeTakeFirst();
    return row ? reportOf(row) : null;
  }

  async saveReport(report: ReportRequest, expectedUpdatedAt: Date): Promise<boolean> {
    return saveReport(this.db, report, expectedUpdatedAt);
  }

  async openReports(stationId: string, kind: ReportKind): Promise<ReportRequest[]> {
    const rows = await this.db.selectFrom('device_model_reports').selectAll().where('station_id', '=', stationId).where('kind', '=', kind).where('state', 'in', [...OPEN_STATES]).execute();
    return rows.map(reportOf);
  }

  async quietReports(before: Date, limit: number): Promise<ReportRequest[]> {
    const rows = await this.db.selectFrom('device_model_reports').selectAll().where('state', 'in', [...OPEN_STATES]).where('updated_at', '<=', before).orderBy('updated_at').limit(limit).execute();
    return rows.map(reportOf);
  }

  async listReports(stationId: string, query: { kind?: ReportKind; limit: number; offset: number }): Promise<{ items: ReportRequest[]; total: number }> {
    let base = this.db.selectFrom('device_model_reports').where('station_id', '=', stationId);
    if (query.kind) base = base.where('kind', '=', query.kind);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('requested_at', 'desc').orderBy('request_id', 'desc').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(reportOf), total: Number(count.total) };
  }

  receiveInventoryPart(part: IncomingPart, entries: (reportId: string) => ConfigurationEntry[]): Promise<PartOutcome> {
    return this.receivePart(
      part,
      async (trx, reportId) => {
        const items = lastPerIdentity(entries(reportId));
        await upsertEntries(trx, items, false);
        return items.length;
      },
      removeStaleEntries,
    );
  }

  receiveMonitoringPart(part: IncomingPart, monitors: (reportId: string) => Monitor[]): Promise<PartOutcome> {
    return this.receivePart(
      part,
      async (trx, reportId) => {
        const items = lastPerMonitor(monitors(reportId));
        await upsertMonitors(trx, items);
        return items.length;
      },
      removeStaleMonitors,
    );
  }

  /** Lock the report (or record the unsolicited one), count the part unless repeated, write its items, decide, save. */
  private receivePart(
    part: IncomingPart,
    write: (trx: Transaction<DatabaseSchema>, reportId: string) => Promise<number>,
    removeStale: (trx: Transaction<DatabaseSchema>, report: ReportRequest) => Promise<number>,
  ): Promise<PartOutcome> {
    return this.db.transaction().execute(async (trx) => {
      const find = () =>
        trx.selectFrom('device_model_reports').selectAll().where('station_id', '=', part.stationId).where('kind', '=', part.kind).where('request_id', '=', part.requestId).forUpdate().executeTakeFirst();
      let row = await find();
      if (!row) {
        await trx.insertInto('device_model_reports').values(reportRow(part.unsolicited)).onConflict((oc) => oc.doNothing()).execute();
        row = await find();
      }
      const report = reportOf(row as NonNullable<typeof row>);
      if (part.uncountable !== null) {
        const items = await write(trx, report.id);
        const next = afterUncountedPart(report, items, part.uncountable, part.at);
        await saveReport(trx, next, report.updatedAt);
        return { report: next, duplicate: false, completed: false, removed: 0 };
      }
      const inserted = await trx
        .insertInto('device_model_report_parts')
        .values({ report_id: report.id, tenant_id: report.tenantId, seq_no: part.header.seqNo, tbc: part.header.tbc, items: part.header.items, received_at: part.at })
        .onConflict((oc) => oc.doNothing())
        .returning('seq_no')
        .executeTakeFirst();
      if (!inserted) {
        const next = afterDuplicate(report, part.at);
        await saveReport(trx, next, report.updatedAt);
        return { report: next, duplicate: true, completed: false, removed: 0 };
      }
      const items = await write(trx, report.id);
      const last = lastSeqNoAfter(report, part.header);
      let upToLast = 0;
      if (last !== null) {
        const counted = await trx
          .selectFrom('device_model_report_parts')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('report_id', '=', report.id)
          .where('seq_no', '<=', last)
          .executeTakeFirstOrThrow();
        upToLast = Number(counted.n);
      }
      const next = afterPart(report, { ...part.header, items }, upToLast, part.at);
      const completed = justCompleted(report, next);
      const removed = completed && next.replaces ? await removeStale(trx, next) : 0;
      await saveReport(trx, next, report.updatedAt);
      return { report: next, duplicate: false, completed, removed };
    });
  }

  async removeStale(report: ReportRequest): Promise<number> {
    return report.kind === 'inventory' ? removeStaleEntries(this.db, report) : removeStaleMonitors(this.db, report);
  }

  // --- monitors ------------------------------------------------------------------------

  async saveMonitors(monitors: readonly Monitor[]): Promise<void> {
    await upsertMonitors(this.db, lastPerMonitor(monitors));
  }

  async removeMonitors(stationId: string, monitorIds: readonly number[]): Promise<number> {
    if (monitorIds.length === 0) return 0;
    const result = await this.db.deleteFrom('device_model_monitors').where('station_id', '=', stationId).where('monitor_id', 'in', [...monitorIds]).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async listMonitors(stationId: string, query: { limit: number; offset: number }): Promise<{ items: Monitor[]; total: number }> {
    const base = this.db.selectFrom('device_model_monitors').where('station_id', '=', stationId);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('monitor_id').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(monitorOf), total: Number(count.total) };
  }
}

/** What a complete replacing report did not mention, and nothing told about since it was requested. */
async function removeStaleEntries(db: Db, report: ReportRequest): Promise<number> {
  const deleted = await db
    .deleteFrom('device_model_variables')
    .where('station_id', '=', report.stationId)
    .where('dialect', '=', '2.x')
    .where((eb) => eb.or([eb('report_id', 'is', null), eb('report_id', '!=', report.id)]))
    .where('reported_at', '<', report.requestedAt)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

async function removeStaleMonitors(db: Db, report: ReportRequest): Promise<number> {
  const deleted = await db
    .deleteFrom('device_model_monitors')
    .where('station_id', '=', report.stationId)
    .where((eb) => eb.or([eb('report_id', 'is', null), eb('report_id', '!=', report.id)]))
    .where('reported_at', '<', report.requestedAt)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

async function saveReport(db: Db, report: ReportRequest, expectedUpdatedAt: Date): Promise<boolean> {
  const { id, station_id, tenant_id, kind, request_id, ...changes } = reportRow(report);
  const result = await db.updateTable('device_model_reports').set(changes).where('id', '=', id as string).where('updated_at', '=', expectedUpdatedAt).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** `withLastSet`: a read/write outcome carries the last write; a report leaves it as it was. */
async function upsertEntries(db: Db, entries: readonly ConfigurationEntry[], withLastSet: boolean): Promise<void> {
  for (const chunk of chunks(entries)) {
    await db
      .insertInto('device_model_variables')
      .values(chunk.map(entryRow))
      .onConflict((oc) =>
        oc.columns(['station_id', 'identity']).doUpdateSet((eb) => ({
          tenant_id: eb.ref('excluded.tenant_id'),
          key: eb.ref('excluded.key'),
          component_name: eb.ref('excluded.component_name'),
          component_instance: eb.ref('excluded.component_instance'),
          variable_name: eb.ref('excluded.variable_name'),
          variable_instance: eb.ref('excluded.variable_instance'),
          attributes: eb.ref('excluded.attributes'),
          characteristics: eb.ref('excluded.characteristics'),
          readonly: eb.ref('excluded.readonly'),
          source: eb.ref('excluded.source'),
          reported_at: eb.ref('excluded.reported_at'),
          report_id: eb.ref('excluded.report_id'),
          ...(withLastSet ? { set_value: eb.ref('excluded.set_value'), set_status: eb.ref('excluded.set_status'), set_at: eb.ref('excluded.set_at') } : {}),
        })),
      )
      .execute();
  }
}

async function upsertMonitors(db: Db, monitors: readonly Monitor[]): Promise<void> {
  for (const chunk of chunks(monitors)) {
    await db
      .insertInto('device_model_monitors')
      .values(chunk.map(monitorRow))
      .onConflict((oc) =>
        oc.columns(['station_id', 'monitor_id']).doUpdateSet((eb) => ({
          tenant_id: eb.ref('excluded.tenant_id'),
          component_name: eb.ref('excluded.component_name'),
          component_instance: eb.ref('excluded.component_instance'),
          evse_id: eb.ref('excluded.evse_id'),
          connector_id: eb.ref('excluded.connector_id'),
          variable_name: eb.ref('excluded.variable_name'),
          variable_instance: eb.ref('excluded.variable_instance'),
          type: eb.ref('excluded.type'),
          value: eb.ref('excluded.value'),
          severity: eb.ref('excluded.severity'),
          transaction: eb.ref('excluded.transaction'),
          origin: eb.ref('excluded.origin'),
          source: eb.ref('excluded.source'),
          reported_at: eb.ref('excluded.reported_at'),
          report_id: eb.ref('excluded.report_id'),
        })),
      )
      .execute();
  }
}
