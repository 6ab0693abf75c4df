/** Kysely adapter of the stuck port: one SQL for PGlite and PostgreSQL. */
import { readInScope } from '../../storage/tenant-reads.ts';
import { inScope, type OwnedColumns } from '../../storage/tenant-scope-sql.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { sql, type Selectable } from 'kysely';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import type { StuckCasesTable } from '../../storage/tables/stuck-tables.ts';
import type { StuckReason } from './stuck.ts';
import type { CaseStatus, LadderStep, StepRecord, StuckCase } from './stuck-ladder.ts';
import type { CaseFilter, StationCaseCount, StuckRepository } from './stuck-repository.ts';
import { isUniqueViolation } from '../../storage/unique-violation.ts';

const RUNNING: CaseStatus[] = ['open', 'awaiting-operator'];
const NOT_STUCK: CaseStatus[] = ['cleared', 'dismissed'];

function toCase(row: Selectable<StuckCasesTable>): StuckCase {
  return {
    id: row.id,
    transactionId: row.transaction_id,
    stationId: row.station_id,
    evseId: row.evse_id,
    status: row.status as CaseStatus,
    reasons: row.reasons as StuckReason[],
    steps: (row.steps as Array<Record<string, unknown>>).map((s) => ({
      ...(s as unknown as StepRecord),
      startedAt: new Date(s.startedAt as string),
      endedAt: s.endedAt ? new Date(s.endedAt as string) : null,
    })),
    pendingStep: row.pending_step as LadderStep | null,
    approvedStep: row.approved_step as LadderStep | null,
    detectedAt: asDate(row.detected_at) as Date,
    updatedAt: asDate(row.updated_at) as Date,
    finishedAt: asDate(row.finished_at),
  };
}

function toRow(c: StuckCase) {
  return {
    id: c.id,
    transaction_id: c.transactionId,
    station_id: c.stationId,
    evse_id: c.evseId,
    status: c.status,
    reasons: JSON.stringify(c.reasons),
    steps: JSON.stringify(c.steps),
    pending_step: c.pendingStep,
    approved_step: c.approvedStep,
    detected_at: c.detectedAt,
    updated_at: c.updatedAt,
    finished_at: c.finishedAt,
  };
}

/** A stuck case belongs to its transaction's tenant, and to its station's site. */
const CASES: OwnedColumns = { station: 'stuck_cases.station_id', transaction: 'stuck_cases.transaction_id' };

export class SqlStuckRepository implements StuckRepository {
  constructor(private readonly db: Database) {}

  async create(c: StuckCase): Promise<boolean> {
    try {
      await this.db.insertInto('stuck_cases').values(toRow(c)).execute();
      return true;
    } catch (error) {
      // Another case for the transaction is already in progress.
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async save(c: StuckCase): Promise<void> {
    const { id: _id, transaction_id: _tx, detected_at: _detected, ...changes } = toRow(c);
    await this.db.updateTable('stuck_cases').set(changes).where('id', '=', c.id).execute();
  }

  async find(id: string): Promise<StuckCase | null> {
    const row = await this.db.selectFrom('stuck_cases').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCase(row) : null;
  }

  async running(): Promise<StuckCase[]> {
    const rows = await this.db.selectFrom('stuck_cases').selectAll().where('status', 'in', RUNNING).orderBy('detected_at').execute();
    return rows.map(toCase);
  }

  async owner(id: string): Promise<{ tenantId: string; stationId: string } | null> {
    const row = await this.db
      .selectFrom('stuck_cases as c')
      .innerJoin('transactions as t', 't.id', 'c.transaction_id')
      .select(['t.tenant_id', 'c.station_id'])
      .where('c.id', '=', id)
      .executeTakeFirst();
    return row ? { tenantId: row.tenant_id, stationId: row.station_id } : null;
  }

  list(filter: CaseFilter): Promise<{ items: StuckCase[]; total: number }> {
    return readInScope(this.db, filter.scope, async (db) => {
      let query = db.selectFrom('stuck_cases').where(inScope(CASES, filter.scope));
      if (filter.status === 'running') query = query.where('status', 'in', RUNNING);
      else if (filter.status === 'finished') query = query.where('status', 'not in', RUNNING);
      else if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.stationId) query = query.where('station_id', '=', filter.stationId);
      if (filter.transactionId) query = query.where('transaction_id', '=', filter.transactionId);
      if (filter.from) query = query.where('detected_at', '>=', filter.from);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('detected_at', 'desc').limit(filter.limit).offset(filter.offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toCase), total: Number(count.total) };
    });
  }

  async clearedSince(since: Date): Promise<Array<{ transactionId: string; at: Date }>> {
    const rows = await this.db
      .selectFrom('stuck_cases')
      .select(['transaction_id', (eb) => eb.fn.max('finished_at').as('at')])
      .where('status', '=', 'cleared')
      .where('finished_at', '>=', since)
      .groupBy('transaction_id')
      .execute();
    return rows.map((r) => ({ transactionId: r.transaction_id, at: asDate(r.at as Date | string) as Date }));
  }

  stuckPerStation(scope: TenantScope, since: Date): Promise<StationCaseCount[]> {
    return readInScope(this.db, scope, async (db) => {
      const rows = await db
        .selectFrom('stuck_cases')
        .where(inScope(CASES, scope))
        .select(['station_id', sql<string>`count(distinct transaction_id)`.as('stuck')])
        .where('status', 'not in', NOT_STUCK)
        .where('detected_at', '>=', since)
        .groupBy('station_id')
        .execute();
      return rows.map((r) => ({ stationId: r.station_id, stuck: Number(r.stuck) }));
    });
  }

  sessionsPerStation(scope: TenantScope, since: Date): Promise<Array<{ stationId: string; sessions: number }>> {
    return readInScope(this.db, scope, async (db) => {
      const rows = await db
        .selectFrom('transactions')
        .where(inScope({ station: 'transactions.station_id', tenant: 'transactions.tenant_id' }, scope))
        .select(['station_id', (eb) => eb.fn.countAll<string>().as('sessions')])
        .where('started_at', '>=', since)
        .groupBy('station_id')
        .execute();
      return rows.map((r) => ({ stationId: r.station_id, sessions: Number(r.sessions) }));
    });
  }
}
