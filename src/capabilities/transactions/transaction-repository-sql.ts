/** Kysely adapter of the transactions port: one SQL for PGlite and PostgreSQL. */
import { readInScope } from '../../storage/tenant-reads.ts';
import { sql, type Selectable } from 'kysely';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { TransactionsTable } from '../../storage/tables/transaction-tables.ts';
import { ENERGY_REGISTER, type CloseEvidence, type MeterSample, type Transaction, type TransactionFlag, type TransactionState } from './transaction.ts';
import type { TransactionEventRecord, TransactionFilter, TransactionRepository, WriteOutcome } from './transaction-repository.ts';
import { TransactionWriter } from './transaction-writer-sql.ts';

function toTransaction(row: Selectable<TransactionsTable>): Transaction {
  return {
    id: row.id,
    stationId: row.station_id,
    tenantId: row.tenant_id,
    ocppVersion: row.ocpp_version,
    ocppTransactionId: row.ocpp_transaction_id,
    evseId: row.evse_id,
    connectorId: row.connector_id,
    idToken: row.id_token,
    idTokenType: row.id_token_type,
    state: row.state as TransactionState,
    startedAt: asDate(row.started_at),
    stoppedAt: asDate(row.stopped_at),
    meterStartWh: row.meter_start_wh,
    meterStartAt: asDate(row.meter_start_at),
    meterStartResolutionWh: row.meter_start_resolution_wh,
    meterStopWh: row.meter_stop_wh,
    meterStopResolutionWh: row.meter_stop_resolution_wh,
    lastMeterWh: row.last_meter_wh,
    lastMeterAt: asDate(row.last_meter_at),
    lastMeterResolutionWh: row.last_meter_resolution_wh,
    highestMeterWh: row.highest_meter_wh,
    stopReason: row.stop_reason,
    chargingState: row.charging_state,
    offline: row.offline,
    flags: (row.flags ?? []) as TransactionFlag[],
    remoteStartId: row.remote_start_id,
    reservationId: row.reservation_id,
    maxSeqNo: row.max_seq_no,
    seqNoCount: row.seq_no_count,
    lastEventAt: asDate(row.last_event_at) as Date,
    createdAt: asDate(row.created_at) as Date,
    updatedAt: asDate(row.updated_at) as Date,
    version: row.version,
  };
}

export class SqlTransactionRepository implements TransactionRepository {
  private readonly writer: TransactionWriter;

  constructor(private readonly db: Database) {
    this.writer = new TransactionWriter(db);
  }

  async nextIssuedTransactionIds(count: number): Promise<number[]> {
    const result = await sql<{ id: number }>`select nextval('ocpp16_transaction_id_seq')::integer as id from generate_series(1, ${count}::integer)`.execute(this.db);
    return result.rows.map((row) => Number(row.id));
  }

  async findByOcppId(stationId: string, ocppTransactionId: string): Promise<Transaction | null> {
    const row = await this.db
      .selectFrom('transactions')
      .selectAll()
      .where('station_id', '=', stationId)
      .where('ocpp_transaction_id', '=', ocppTransactionId)
      .executeTakeFirst();
    return row ? toTransaction(row) : null;
  }

  async find(id: string): Promise<Transaction | null> {
    const row = await this.db.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTransaction(row) : null;
  }

  async findByEventKey(stationId: string, dedupeKey: string): Promise<Transaction | null> {
    const row = await this.db
      .selectFrom('transaction_events as e')
      .innerJoin('transactions as t', 't.id', 'e.transaction_id')
      .selectAll('t')
      .where('e.station_id', '=', stationId)
      .where('e.dedupe_key', '=', dedupeKey)
      .executeTakeFirst();
    return row ? toTransaction(row) : null;
  }

  async findActiveOn(stationId: string, evseId: number): Promise<Transaction | null> {
    const row = await this.db
      .selectFrom('transactions')
      .selectAll()
      .where('station_id', '=', stationId)
      .where('evse_id', '=', evseId)
      .where('state', '=', 'active')
      .orderBy('last_event_at', 'desc')
      .executeTakeFirst();
    return row ? toTransaction(row) : null;
  }

  recordEvent(tx: Transaction, event: TransactionEventRecord, samples: readonly MeterSample[]): Promise<WriteOutcome> {
    return this.writer.write({ tx, event, samples });
  }

  list(filter: TransactionFilter): Promise<{ items: Transaction[]; total: number }> {
    return readInScope(this.db, filter.scope, async (db) => {
      let query = db.selectFrom('transactions');
      query = query.where(inScope({ station: 'transactions.station_id', tenant: 'transactions.tenant_id' }, filter.scope));
      if (filter.stationId) query = query.where('station_id', '=', filter.stationId);
      if (filter.idToken) query = query.where('id_token', '=', filter.idToken);
      if (filter.state) query = query.where('state', '=', filter.state);
      if (filter.flag) query = query.where(sql<boolean>`flags @> ${JSON.stringify([filter.flag])}::jsonb`);
      if (filter.from) query = query.where('started_at', '>=', filter.from);
      if (filter.to) query = query.where('started_at', '<', filter.to);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('started_at', 'desc').orderBy('created_at', 'desc').limit(filter.limit).offset(filter.offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toTransaction), total: Number(count.total) };
    });
  }

  async events(transactionId: string): Promise<TransactionEventRecord[]> {
    const rows = await this.db
      .selectFrom('transaction_events')
      .selectAll()
      .where('transaction_id', '=', transactionId)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      dedupeKey: row.dedupe_key,
      kind: row.kind,
      seqNo: row.seq_no,
      triggerReason: row.trigger_reason,
      occurredAt: asDate(row.occurred_at) as Date,
      receivedAt: asDate(row.received_at) as Date,
      offline: row.offline,
      summary: row.summary,
    }));
  }

  async meterValues(transactionId: string, options: { measurand?: string; limit: number }): Promise<MeterSample[]> {
    let query = this.db.selectFrom('transaction_meter_values').selectAll().where('transaction_id', '=', transactionId);
    if (options.measurand) query = query.where('measurand', '=', options.measurand);
    const rows = await query.orderBy('sampled_at').orderBy('id').limit(options.limit).execute();
    return rows.map((row) => ({
      at: asDate(row.sampled_at) as Date,
      measurand: row.measurand,
      phase: row.phase,
      location: row.location,
      context: row.context,
      value: row.value,
      unit: row.unit,
    }));
  }

  // --- Closing the books of stuck sessions -----------------------------------------------

  async listUnsettled(limit: number): Promise<Array<{ transaction: Transaction; nextStartAt: Date | null }>> {
    // The predicate matches the partial index transactions_unsettled_idx (migration 0012).
    const rows = await this.db
      .selectFrom('transactions as t')
      .selectAll('t')
      .select((eb) =>
        eb
          .selectFrom('transactions as n')
          .select((n) => n.fn.min('n.started_at').as('m'))
          .whereRef('n.station_id', '=', 't.station_id')
          .whereRef('n.evse_id', '=', 't.evse_id')
          .whereRef('n.started_at', '>', 't.started_at')
          .as('next_started_at'),
      )
      .where('t.state', '=', 'active')
      .orderBy('t.last_event_at')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ transaction: toTransaction(row), nextStartAt: asDate(row.next_started_at as Date | string | null) }));
  }

  async closeEvidence(tx: Transaction): Promise<Omit<CloseEvidence, 'endedAt'>> {
    const floor = tx.meterStartWh ?? 0;
    const [max, next] = await Promise.all([
      this.db
        .selectFrom('transaction_meter_values')
        .select(['value', 'sampled_at'])
        .where('transaction_id', '=', tx.id)
        .where('measurand', '=', ENERGY_REGISTER)
        .where('value', '>=', floor)
        .where((eb) => eb.or([eb('phase', 'is', null), eb('phase', '=', 'N')]))
        .orderBy('value', 'desc')
        .limit(1)
        .executeTakeFirst(),
      tx.evseId === null || tx.startedAt === null
        ? undefined
        : this.db
            .selectFrom('transactions')
            .select(['meter_start_wh', 'started_at'])
            .where('station_id', '=', tx.stationId)
            .where('evse_id', '=', tx.evseId)
            .where('started_at', '>', tx.startedAt)
            .orderBy('started_at')
            .limit(1)
            .executeTakeFirst(),
    ]);
    return {
      maxReading: max ? { wh: max.value, at: asDate(max.sampled_at) as Date } : null,
      nextStart: next ? { wh: next.meter_start_wh, at: asDate(next.started_at) as Date } : null,
    };
  }

  /** A close made by the CSMS is one more message of the transaction: written like the others, atomically. */
  recordClose(tx: Transaction, event: TransactionEventRecord): Promise<WriteOutcome> {
    return this.writer.write({ tx, event, samples: [] });
  }
}
