/** Kysely adapter of the display-messages port: one SQL for PGlite and PostgreSQL. */
import { sql, type Selectable } from 'kysely';
import { CodedError } from '../../kernel/errors.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { DisplayMessageReportsTable, DisplayMessagesTable } from '../../storage/tables/display-messages-tables.ts';
import { ID_MAX, type CommandFact, type DisplayMessageRecord, type DisplayMessageSpec, type DisplayReportRecord, type Outcome, type ReportFlag } from './display-message.ts';
import type { DisplayMessageRepository } from './display-message-repository.ts';

/** Taking the next free id races with another submission for the same station: a few retries settle it. */
const ID_ATTEMPTS = 20;

const fact = (outcome: string | null, status: string | null, at: Date | string | null, commandId: string | null): CommandFact | null =>
  outcome === null || at === null ? null : { outcome: outcome as Outcome, stationStatus: status, at: asDate(at) as Date, commandId };

function toMessage(row: Selectable<DisplayMessagesTable>): DisplayMessageRecord {
  const set = fact(row.set_outcome, row.set_status, row.set_at, row.set_command_id);
  return {
    stationId: row.station_id,
    tenantId: row.tenant_id,
    id: row.message_id,
    onStation: row.on_station,
    set: set && row.set_spec ? { ...set, spec: row.set_spec as unknown as DisplayMessageSpec } : null,
    reported:
      row.reported_spec && row.reported_at !== null && row.reported_request_id !== null
        ? { spec: row.reported_spec as unknown as DisplayMessageSpec, at: asDate(row.reported_at) as Date, requestId: row.reported_request_id }
        : null,
    cleared: fact(row.clear_outcome, row.clear_status, row.clear_at, row.clear_command_id),
    updatedAt: asDate(row.updated_at) as Date,
  };
}

function toReport(row: Selectable<DisplayMessageReportsTable>): DisplayReportRecord {
  return {
    stationId: row.station_id,
    tenantId: row.tenant_id,
    requestId: row.request_id,
    requestedAt: asDate(row.requested_at),
    filters: row.filters as DisplayReportRecord['filters'],
    answer: row.answer as Outcome,
    parts: row.parts,
    messages: row.messages,
    lastPartReceived: row.last_part_received,
    firstPartAt: asDate(row.first_part_at),
    lastPartAt: asDate(row.last_part_at),
    flags: row.flags as ReportFlag[],
  };
}

const reportRow = (r: Omit<DisplayReportRecord, 'requestId'>) => ({
  station_id: r.stationId,
  tenant_id: r.tenantId,
  requested_at: r.requestedAt,
  filters: JSON.stringify(r.filters),
  answer: r.answer,
  parts: r.parts,
  messages: r.messages,
  last_part_received: r.lastPartReceived,
  first_part_at: r.firstPartAt,
  last_part_at: r.lastPartAt,
  flags: JSON.stringify(r.flags),
});

export class SqlDisplayMessageRepository implements DisplayMessageRepository {
  constructor(private readonly db: Database) {}

  async recordSetRequested(tenantId: string, stationId: string, spec: Omit<DisplayMessageSpec, 'id'> & { id?: number }, at: Date): Promise<number> {
    const pending = { set_outcome: 'pending', set_status: null, set_at: at, set_command_id: null, updated_at: at };
    if (spec.id !== undefined) {
      const id = spec.id;
      await this.db
        .insertInto('display_messages')
        .values({ station_id: stationId, message_id: id, tenant_id: tenantId, set_spec: JSON.stringify({ ...spec, id }), ...pending })
        .onConflict((oc) => oc.columns(['station_id', 'message_id']).doUpdateSet({ set_spec: JSON.stringify({ ...spec, id }), ...pending }))
        .execute();
      return id;
    }
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      // The next id above every id the station holds or was sent; an id at the integer limit is skipped.
      const { rows } = await sql<{ message_id: number }>`
        insert into display_messages (station_id, message_id, tenant_id, set_spec, set_outcome, set_at, updated_at)
        select ${stationId}, coalesce(max(message_id), 0) + 1, ${tenantId}, null, 'pending', ${at}, ${at}
          from display_messages where station_id = ${stationId} and message_id < ${ID_MAX}
        on conflict (station_id, message_id) do nothing
        returning message_id`.execute(this.db);
      const id = rows[0]?.message_id;
      if (id !== undefined) {
        await this.db.updateTable('display_messages').set({ set_spec: JSON.stringify({ ...spec, id }) }).where('station_id', '=', stationId).where('message_id', '=', id).execute();
        return id;
      }
    }
    throw new CodedError('conflict', `no free display message id for station ${stationId}; give one`);
  }

  async recordSetSettled(tenantId: string, stationId: string, spec: DisplayMessageSpec, f: CommandFact): Promise<void> {
    const accepted = f.outcome === 'accepted';
    const set = { set_spec: JSON.stringify(spec), set_outcome: f.outcome, set_status: f.stationStatus, set_at: f.at, set_command_id: f.commandId, updated_at: f.at };
    await this.db
      .insertInto('display_messages')
      .values({ station_id: stationId, message_id: spec.id, tenant_id: tenantId, on_station: accepted, ...set })
      .onConflict((oc) => oc.columns(['station_id', 'message_id']).doUpdateSet({ ...set, on_station: sql<boolean>`display_messages.on_station or ${accepted}` }))
      .execute();
  }

  async recordClearSettled(tenantId: string, stationId: string, id: number, f: CommandFact, gone: boolean): Promise<void> {
    const clear = { clear_outcome: f.outcome, clear_status: f.stationStatus, clear_at: f.at, clear_command_id: f.commandId, updated_at: f.at };
    await this.db
      .insertInto('display_messages')
      .values({ station_id: stationId, message_id: id, tenant_id: tenantId, on_station: false, ...clear })
      .onConflict((oc) => oc.columns(['station_id', 'message_id']).doUpdateSet({ ...clear, on_station: sql<boolean>`display_messages.on_station and not ${gone}` }))
      .execute();
  }

  async recordReported(tenantId: string, stationId: string, requestId: number, specs: DisplayMessageSpec[], at: Date, cap: number): Promise<number> {
    // The last report of an id within one part wins, as it would on the station's screen.
    const byId = new Map(specs.map((spec) => [spec.id, spec]));
    if (byId.size === 0) return 0;
    const known = new Set(
      (await this.db.selectFrom('display_messages').select('message_id').where('station_id', '=', stationId).where('message_id', 'in', [...byId.keys()]).execute()).map((r) => r.message_id),
    );
    const count = await this.db.selectFrom('display_messages').select((eb) => eb.fn.countAll<string>().as('n')).where('station_id', '=', stationId).executeTakeFirstOrThrow();
    let room = cap - Number(count.n);
    const kept = [...byId.values()].filter((spec) => known.has(spec.id) || room-- > 0);
    if (kept.length === 0) return 0;
    const reported = (spec: DisplayMessageSpec) => ({ reported_spec: JSON.stringify(spec), reported_at: at, reported_request_id: requestId, on_station: true, updated_at: at });
    await this.db
      .insertInto('display_messages')
      .values(kept.map((spec) => ({ station_id: stationId, message_id: spec.id, tenant_id: tenantId, ...reported(spec) })))
      .onConflict((oc) =>
        oc.columns(['station_id', 'message_id']).doUpdateSet((eb) => ({
          reported_spec: eb.ref('excluded.reported_spec'),
          reported_at: eb.ref('excluded.reported_at'),
          reported_request_id: eb.ref('excluded.reported_request_id'),
          on_station: true,
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    return kept.length;
  }

  async markAbsentExcept(stationId: string, requestId: number, requestedAt: Date, at: Date): Promise<void> {
    await this.db
      .updateTable('display_messages')
      .set({ on_station: false, updated_at: at })
      .where('station_id', '=', stationId)
      .where('on_station', '=', true)
      .where((eb) => eb.or([eb('reported_request_id', 'is', null), eb('reported_request_id', '!=', requestId)]))
      .where((eb) => eb.or([eb('set_at', 'is', null), eb('set_at', '<', requestedAt)]))
      .execute();
  }

  async createReport(report: Omit<DisplayReportRecord, 'requestId'>): Promise<number> {
    const r = reportRow(report);
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const { rows } = await sql<{ request_id: number }>`
        insert into display_message_reports (station_id, request_id, tenant_id, requested_at, filters, answer, parts, messages, last_part_received, first_part_at, last_part_at, flags)
        select ${r.station_id}, coalesce(max(request_id), 0) + 1, ${r.tenant_id}, ${r.requested_at}, ${r.filters}::jsonb, ${r.answer}, ${r.parts}, ${r.messages},
               ${r.last_part_received}, ${r.first_part_at}, ${r.last_part_at}, ${r.flags}::jsonb
          from display_message_reports where station_id = ${r.station_id} and request_id < ${ID_MAX}
        on conflict (station_id, request_id) do nothing
        returning request_id`.execute(this.db);
      if (rows[0]) return rows[0].request_id;
    }
    throw new CodedError('conflict', `no free request id for station ${report.stationId}; try again`);
  }

  async findReport(stationId: string, requestId: number): Promise<DisplayReportRecord | null> {
    const row = await this.db.selectFrom('display_message_reports').selectAll().where('station_id', '=', stationId).where('request_id', '=', requestId).executeTakeFirst();
    return row ? toReport(row) : null;
  }

  async saveReport(report: DisplayReportRecord): Promise<void> {
    const { station_id: _s, tenant_id: _t, answer: _a, ...changes } = reportRow(report);
    await this.db
      .insertInto('display_message_reports')
      .values({ ...reportRow(report), request_id: report.requestId })
      .onConflict((oc) => oc.columns(['station_id', 'request_id']).doUpdateSet(changes))
      .execute();
  }

  async recordReportAnswer(stationId: string, requestId: number, answer: Outcome): Promise<void> {
    await this.db.updateTable('display_message_reports').set({ answer }).where('station_id', '=', stationId).where('request_id', '=', requestId).execute();
  }

  async messages(scope: TenantScope, stationId: string): Promise<DisplayMessageRecord[]> {
    const rows = await this.db
      .selectFrom('display_messages')
      .selectAll()
      .where('station_id', '=', stationId)
      .where(inScope({ station: 'display_messages.station_id', tenant: 'display_messages.tenant_id' }, scope))
      .orderBy('message_id')
      .execute();
    return rows.map(toMessage);
  }

  async reports(scope: TenantScope, stationId: string, limit: number): Promise<DisplayReportRecord[]> {
    const rows = await this.db
      .selectFrom('display_message_reports')
      .selectAll()
      .where('station_id', '=', stationId)
      .where(inScope({ station: 'display_message_reports.station_id', tenant: 'display_message_reports.tenant_id' }, scope))
      .orderBy(sql`coalesce(requested_at, first_part_at)`, 'desc')
      .orderBy('request_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toReport);
  }
}
