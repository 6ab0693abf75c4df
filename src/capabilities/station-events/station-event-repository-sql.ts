/** Kysely adapter of the station-events port: one SQL for PGlite and PostgreSQL. */
import type { Selectable } from 'kysely';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { readInScope } from '../../storage/tenant-reads.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { StationEventsTable, StationProblemsTable } from '../../storage/tables/station-events-tables.ts';
import type { ConnectorSnapshot, DeviceAddress, StationEvent, StationEventKind, StationEventReport, StationMeterSample, StationProblem } from './station-event.ts';
import type { EventFilter, MeterFilter, StationEventsRepository } from './station-event-repository.ts';

const PROBLEM_COLUMNS = { station: 'station_problems.station_id', tenant: 'station_problems.tenant_id' };

function toEvent(row: Selectable<StationEventsTable>): StationEvent {
  return {
    id: String(row.id),
    stationId: row.station_id,
    tenantId: row.tenant_id,
    kind: row.kind as StationEventKind,
    type: row.type,
    at: asDate(row.at) as Date,
    receivedAt: asDate(row.received_at) as Date,
    problem: row.problem,
    cleared: row.cleared,
    evseId: row.evse_id,
    connectorId: row.connector_id,
    ...(row.device ? { device: row.device as unknown as DeviceAddress } : {}),
    ...(row.request_id !== null ? { requestId: row.request_id } : {}),
    summary: row.summary,
    detail: row.detail,
  };
}

function toProblem(row: Selectable<StationProblemsTable>): StationProblem {
  return {
    stationId: row.station_id,
    tenantId: row.tenant_id,
    key: row.key,
    device: (row.device as unknown as DeviceAddress | null) ?? null,
    evseId: row.evse_id,
    connectorId: row.connector_id,
    since: asDate(row.since) as Date,
    eventId: String(row.event_id),
    summary: row.summary,
    statusBefore: row.status_before as unknown as ConnectorSnapshot[],
  };
}

export class SqlStationEventsRepository implements StationEventsRepository {
  constructor(private readonly db: Database) {}

  async append(stationId: string, tenantId: string, receivedAt: Date, reports: readonly StationEventReport[]): Promise<StationEvent[]> {
    if (reports.length === 0) return [];
    const rows = await this.db
      .insertInto('station_events')
      .values(
        reports.map((r) => ({
          tenant_id: tenantId,
          station_id: stationId,
          kind: r.kind,
          type: r.type,
          at: r.at,
          received_at: receivedAt,
          problem: r.problem,
          cleared: r.cleared,
          evse_id: r.evseId,
          connector_id: r.connectorId,
          device: JSON.stringify(r.device ?? null),
          request_id: r.requestId ?? null,
          summary: r.summary,
          detail: JSON.stringify(r.detail),
        })),
      )
      .returningAll()
      .execute();
    // A multi-row insert returns its rows in the order given (ids ascend with it); sort to be sure.
    return rows.map(toEvent).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  }

  async list(stationId: string, filter: EventFilter): Promise<{ items: StationEvent[]; total: number }> {
    let query = this.db.selectFrom('station_events').where('station_id', '=', stationId);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.problem !== undefined) query = query.where('problem', '=', filter.problem);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toEvent), total: Number(count.total) };
  }

  async raiseProblem(problem: StationProblem): Promise<boolean> {
    const inserted = await this.db
      .insertInto('station_problems')
      .values({
        station_id: problem.stationId,
        key: problem.key,
        tenant_id: problem.tenantId,
        evse_id: problem.evseId,
        connector_id: problem.connectorId,
        device: JSON.stringify(problem.device),
        since: problem.since,
        event_id: problem.eventId,
        summary: problem.summary,
        status_before: JSON.stringify(problem.statusBefore ?? []),
      })
      .onConflict((oc) => oc.columns(['station_id', 'key']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async clearProblem(stationId: string, key: string): Promise<StationProblem | null> {
    const deleted = await this.db.deleteFrom('station_problems').where('station_id', '=', stationId).where('key', '=', key).returningAll().executeTakeFirst();
    return deleted ? toProblem(deleted) : null;
  }

  async problems(stationId: string): Promise<StationProblem[]> {
    const rows = await this.db.selectFrom('station_problems').selectAll().where('station_id', '=', stationId).orderBy('since').orderBy('key').execute();
    return rows.map(toProblem);
  }

  problemsInScope(scope: TenantScope, filter: { limit: number; offset: number }): Promise<{ items: StationProblem[]; total: number }> {
    return readInScope(this.db, scope, async (db) => {
      const query = db.selectFrom('station_problems').where(inScope(PROBLEM_COLUMNS, scope));
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('since').orderBy('station_id').orderBy('key').limit(filter.limit).offset(filter.offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toProblem), total: Number(count.total) };
    });
  }

  async appendMeterValues(stationId: string, tenantId: string, samples: readonly StationMeterSample[]): Promise<void> {
    if (samples.length === 0) return;
    await this.db
      .insertInto('station_meter_values')
      .values(
        samples.map((s) => ({
          tenant_id: tenantId,
          station_id: stationId,
          evse_id: s.evseId,
          at: s.at,
          measurand: s.measurand,
          phase: s.phase,
          location: s.location,
          context: s.context,
          value: s.value,
          unit: s.unit,
        })),
      )
      .execute();
  }

  async meterValues(stationId: string, filter: MeterFilter): Promise<StationMeterSample[]> {
    let query = this.db.selectFrom('station_meter_values').selectAll().where('station_id', '=', stationId);
    if (filter.measurand) query = query.where('measurand', '=', filter.measurand);
    if (filter.evseId !== undefined) query = query.where('evse_id', '=', filter.evseId);
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<', filter.to);
    const rows = await query.orderBy('at').orderBy('id').limit(filter.limit).execute();
    return rows.map((r) => ({
      evseId: r.evse_id,
      at: asDate(r.at) as Date,
      measurand: r.measurand,
      phase: r.phase,
      location: r.location,
      context: r.context,
      value: Number(r.value),
      unit: r.unit,
    }));
  }
}
