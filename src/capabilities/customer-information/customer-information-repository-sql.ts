/** Kysely adapter of the customer-information port: one SQL for PGlite and PostgreSQL. */
import { sql, type Selectable } from 'kysely';
import { CodedError } from '../../kernel/errors.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { CustomerInformationPartsTable, CustomerInformationRequestsTable } from '../../storage/tables/customer-information-tables.ts';
import { mergeFlags, type CustomerInformationRequest, type CustomerSubject, type Flag, type Outcome, type ReportPart } from './customer-information.ts';
import type { CustomerInformationRepository, KeptParts } from './customer-information-repository.ts';

/** Request ids are OCPP integers; taking the next free one races with another submission, so it retries. */
const ID_MAX = 2_147_483_647;
const ID_ATTEMPTS = 20;

function toRequest(row: Selectable<CustomerInformationRequestsTable>): CustomerInformationRequest {
  return {
    stationId: row.station_id,
    tenantId: row.tenant_id,
    requestId: row.request_id,
    requestedAt: asDate(row.requested_at),
    createdAt: asDate(row.created_at) as Date,
    report: row.report,
    clear: row.clear,
    subject: row.subject as CustomerSubject | null,
    outcome: row.outcome as Outcome,
    stationStatus: row.station_status,
    answeredAt: asDate(row.answered_at),
    flags: row.flags as Flag[],
  };
}

const toPart = (row: Selectable<CustomerInformationPartsTable>): ReportPart => ({
  seqNo: row.seq_no,
  data: row.data,
  tbc: row.tbc,
  generatedAt: asDate(row.generated_at) as Date,
  receivedAt: asDate(row.received_at) as Date,
});

export class SqlCustomerInformationRepository implements CustomerInformationRepository {
  constructor(private readonly db: Database) {}

  async createRequest(r: Omit<CustomerInformationRequest, 'requestId'>): Promise<number> {
    const subject = r.subject === null ? null : JSON.stringify(r.subject);
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const { rows } = await sql<{ request_id: number }>`
        insert into customer_information_requests (station_id, request_id, tenant_id, requested_at, created_at, report, clear, subject, outcome, station_status, answered_at, flags)
        select ${r.stationId}, coalesce(max(request_id), 0) + 1, ${r.tenantId}, ${r.requestedAt}, ${r.createdAt}, ${r.report}, ${r.clear}, ${subject}::jsonb,
               ${r.outcome}, ${r.stationStatus}, ${r.answeredAt}, ${JSON.stringify(r.flags)}::jsonb
          from customer_information_requests where station_id = ${r.stationId} and request_id < ${ID_MAX}
        on conflict (station_id, request_id) do nothing
        returning request_id`.execute(this.db);
      if (rows[0]) return rows[0].request_id;
    }
    throw new CodedError('conflict', `no free request id for station ${r.stationId}; try again`);
  }

  async ensureRequest(r: CustomerInformationRequest): Promise<void> {
    await this.db
      .insertInto('customer_information_requests')
      .values({
        station_id: r.stationId,
        request_id: r.requestId,
        tenant_id: r.tenantId,
        requested_at: r.requestedAt,
        created_at: r.createdAt,
        report: r.report,
        clear: r.clear,
        subject: r.subject === null ? null : JSON.stringify(r.subject),
        outcome: r.outcome,
        station_status: r.stationStatus,
        answered_at: r.answeredAt,
        flags: JSON.stringify(r.flags),
      })
      .onConflict((oc) => oc.columns(['station_id', 'request_id']).doNothing())
      .execute();
  }

  async findRequest(stationId: string, requestId: number): Promise<CustomerInformationRequest | null> {
    const row = await this.db.selectFrom('customer_information_requests').selectAll().where('station_id', '=', stationId).where('request_id', '=', requestId).executeTakeFirst();
    return row ? toRequest(row) : null;
  }

  async recordAnswer(stationId: string, requestId: number, a: { outcome: Outcome; stationStatus: string | null; answeredAt: Date }): Promise<void> {
    await this.db
      .updateTable('customer_information_requests')
      .set({ outcome: a.outcome, station_status: a.stationStatus, answered_at: a.answeredAt })
      .where('station_id', '=', stationId)
      .where('request_id', '=', requestId)
      .execute();
  }

  async keptParts(stationId: string, requestId: number, seqNo: number): Promise<KeptParts> {
    const row = await this.db
      .selectFrom('customer_information_parts')
      .select((eb) => [
        eb.fn.max('seq_no').as('highest'),
        eb.fn.min(sql<number>`case when not tbc then seq_no end`).as('last'),
        eb.fn.max(sql<string>`case when seq_no = ${seqNo} then data end`).as('same'),
        eb.fn.countAll<string>().as('count'),
      ])
      .where('station_id', '=', stationId)
      .where('request_id', '=', requestId)
      .executeTakeFirstOrThrow();
    return { highestSeqNo: row.highest ?? null, lastSeqNo: row.last ?? null, sameSeqNoData: row.same ?? null, count: Number(row.count) };
  }

  async addPart(tenantId: string, stationId: string, requestId: number, part: ReportPart): Promise<boolean> {
    const result = await this.db
      .insertInto('customer_information_parts')
      .values({
        station_id: stationId,
        request_id: requestId,
        seq_no: part.seqNo,
        tenant_id: tenantId,
        data: part.data,
        tbc: part.tbc,
        generated_at: part.generatedAt,
        received_at: part.receivedAt,
      })
      .onConflict((oc) => oc.columns(['station_id', 'request_id', 'seq_no']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async addFlags(stationId: string, requestId: number, flags: readonly Flag[]): Promise<void> {
    if (flags.length === 0) return;
    const request = await this.findRequest(stationId, requestId);
    if (!request) return;
    await this.db
      .updateTable('customer_information_requests')
      .set({ flags: JSON.stringify(mergeFlags(request.flags, flags)) })
      .where('station_id', '=', stationId)
      .where('request_id', '=', requestId)
      .execute();
  }

  async list(scope: TenantScope, stationId: string, since: Date, limit: number): Promise<Array<{ request: CustomerInformationRequest; parts: ReportPart[] }>> {
    const requests = (
      await this.db
        .selectFrom('customer_information_requests')
        .selectAll()
        .where('station_id', '=', stationId)
        .where('created_at', '>=', since)
        .where(inScope({ station: 'customer_information_requests.station_id', tenant: 'customer_information_requests.tenant_id' }, scope))
        .orderBy('created_at', 'desc')
        .orderBy('request_id', 'desc')
        .limit(limit)
        .execute()
    ).map(toRequest);
    if (requests.length === 0) return [];
    const parts = await this.db
      .selectFrom('customer_information_parts')
      .selectAll()
      .where('station_id', '=', stationId)
      .where(
        'request_id',
        'in',
        requests.map((r) => r.requestId),
      )
      .orderBy('seq_no')
      .execute();
    return requests.map((request) => ({ request, parts: parts.filter((p) => p.request_id === request.requestId).map(toPart) }));
  }

  async purge(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('customer_information_requests').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }
}
