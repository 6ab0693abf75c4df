/**
 * Group commit for transaction messages. Every message is still written
 * atomically (its event, the merged transaction and its meter samples land
 * in the same database transaction, and the station gets its answer only
 * after the commit), but the messages that arrive while one commit is in
 * flight are written together by the next one, in a single statement: one
 * round trip per group instead of five per message (each round trip costs the
 * node a socket write, the largest share of its CPU on small machines).
 *
 * One message per station can be in a group at a time: the service holds a
 * per-station lock until the write resolves, so two rows of one group never
 * touch the same transaction (a multi-row upsert may not update a row twice).
 *
 * Guarded writes: a transaction row carries the version it was decided from
 * plus one, and the upsert applies it only over that version. Another node
 * that wrote the row meanwhile (the stuck sweep's force close against the
 * node holding the socket) makes the write `stale`: nothing of the message is
 * kept, and the service re-reads and decides again.
 */
import { sql } from 'kysely';
import { BatchQueue } from '../../storage/batch-queue.ts';
import type { Database } from '../../storage/database.ts';
import type { MeterSample, Transaction } from './transaction.ts';
import type { TransactionEventRecord, WriteOutcome } from './transaction-repository.ts';

export interface TransactionWrite {
  tx: Transaction;
  event: TransactionEventRecord;
  samples: readonly MeterSample[];
}

/** Bounds one commit's size (and so the wait of the messages queued behind it). */
const MAX_MESSAGES_PER_GROUP = 500;
const EVENT_COLUMNS = ['transaction_id', 'station_id', 'dedupe_key', 'kind', 'seq_no', 'trigger_reason', 'occurred_at', 'received_at', 'offline', 'summary'] as const;
const SAMPLE_COLUMNS = ['transaction_id', 'sampled_at', 'measurand', 'phase', 'location', 'context', 'value', 'unit'] as const;

function transactionRow(tx: Transaction) {
  return {
    id: tx.id,
    station_id: tx.stationId,
    tenant_id: tx.tenantId,
    ocpp_version: tx.ocppVersion,
    ocpp_transaction_id: tx.ocppTransactionId,
    evse_id: tx.evseId,
    connector_id: tx.connectorId,
    id_token: tx.idToken,
    id_token_type: tx.idTokenType,
    state: tx.state,
    started_at: tx.startedAt,
    stopped_at: tx.stoppedAt,
    meter_start_wh: tx.meterStartWh,
    meter_start_at: tx.meterStartAt,
    meter_start_resolution_wh: tx.meterStartResolutionWh,
    meter_stop_wh: tx.meterStopWh,
    meter_stop_resolution_wh: tx.meterStopResolutionWh,
    last_meter_wh: tx.lastMeterWh,
    last_meter_at: tx.lastMeterAt,
    last_meter_resolution_wh: tx.lastMeterResolutionWh,
    highest_meter_wh: tx.highestMeterWh,
    stop_reason: tx.stopReason,
    charging_state: tx.chargingState,
    offline: tx.offline,
    flags: tx.flags,
    remote_start_id: tx.remoteStartId,
    reservation_id: tx.reservationId,
    max_seq_no: tx.maxSeqNo,
    seq_no_count: tx.seqNoCount,
    last_event_at: tx.lastEventAt,
    created_at: tx.createdAt,
    updated_at: tx.updatedAt,
    version: tx.version,
  };
}

type TransactionRow = ReturnType<typeof transactionRow>;
/** The columns the writer sets, named (a column added later keeps its default instead of a NULL). */
const TRANSACTION_COLUMNS = Object.keys(transactionRow({ flags: [] } as unknown as Transaction)) as Array<keyof TransactionRow>;
/** Columns an upsert overwrites: everything but the identity, the owner and the creation time. */
const UPDATED_COLUMNS = TRANSACTION_COLUMNS.filter((column) => column !== 'id' && column !== 'tenant_id' && column !== 'created_at');

/**
 * SQLSTATE 22012 (division_by_zero): how the one-statement group write says that some of
 * its messages were recorded before or are stale (see writeAtOnce); nothing of that statement is kept.
 */
const REFUSAL_SIGNAL = '22012';
const isRefusalSignal = (error: unknown) => (error as { code?: string } | null)?.code === REFUSAL_SIGNAL;

/** Thrown inside a group's database transaction to roll it back when some of its messages were recorded before or are stale. */
class RefusedInGroup extends Error {
  constructor(
    readonly duplicates: ReadonlySet<string>,
    readonly stale: ReadonlySet<string>,
  ) {
    super('duplicate or stale transaction messages in group');
  }
}

const eventKey = (stationId: string, dedupeKey: string) => `${stationId}\u0000${dedupeKey}`;
const keyOf = (w: TransactionWrite) => eventKey(w.tx.stationId, w.event.dedupeKey);

export class TransactionWriter {
  private readonly queue: BatchQueue<TransactionWrite, WriteOutcome>;

  constructor(private readonly db: Database) {
    this.queue = new BatchQueue((writes) => this.writeGroup(writes), MAX_MESSAGES_PER_GROUP, 2);
  }

  /** Resolves `written` once the message is durable, else why nothing of it was written. */
  write(write: TransactionWrite): Promise<WriteOutcome> {
    return this.queue.add(write);
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  private async writeGroup(writes: TransactionWrite[]): Promise<WriteOutcome[]> {
    // The common path: no message of the group was seen before and no row changed since it was read: one statement writes it all.
    try {
      await this.writeAtOnce(writes);
      return writes.map(() => 'written');
    } catch (error) {
      if (!isRefusalSignal(error)) throw error;
    }
    const refused = new Map<string, WriteOutcome>();
    // A duplicate (a retried or replayed message) or a stale row rolls the group back; the group is then
    // written again without it, statement by statement inside a transaction, to learn which.
    for (;;) {
      const fresh = writes.filter((w) => !refused.has(keyOf(w)));
      if (fresh.length === 0) break;
      try {
        await this.db.transaction().execute((trx) => this.insertGroup(trx, fresh));
        break;
      } catch (error) {
        if (!(error instanceof RefusedInGroup)) throw error;
        for (const key of error.stale) refused.set(key, 'stale');
        for (const key of error.duplicates) refused.set(key, 'duplicate');
      }
    }
    return writes.map((w) => refused.get(keyOf(w)) ?? 'written');
  }

  /**
   * The whole group as one statement (PostgreSQL runs it atomically): data-modifying CTEs
   * for the events, the transactions and the samples. Foreign keys are checked at the end
   * of the statement, so events may reference transactions inserted beside them. When an
   * event's key was recorded before, or a row's version moved since it was read, the final
   * select divides by zero on purpose: the statement fails, nothing of it is kept, and
   * writeGroup takes the slow path.
   */
  private async writeAtOnce(writes: TransactionWrite[]): Promise<void> {
    const { transactions, events, samples } = groupRows(writes);
    await sql`with new_events as (${insertEvents(events)} returning 1),
      upserted as (${upsertTransactions(transactions)} returning 1),
      sampled as (${insertSamples(samples)})
      select 1 / (case when (select count(*) from new_events) = ${writes.length} and (select count(*) from upserted) = ${writes.length} then 1 else 0 end) as all_new`.execute(this.db);
  }

  private async insertGroup(trx: Database, writes: TransactionWrite[]): Promise<void> {
    const { transactions, events, samples } = groupRows(writes);
    // Transactions first: events reference them.
    const upserted = await sql<{ id: string }>`${upsertTransactions(transactions)} returning id`.execute(trx);
    const inserted = await sql<{ station_id: string; dedupe_key: string }>`${insertEvents(events)} returning station_id, dedupe_key`.execute(trx);
    if (inserted.rows.length < writes.length || upserted.rows.length < writes.length) {
      const written = new Set(inserted.rows.map((row) => eventKey(row.station_id, row.dedupe_key)));
      const current = new Set(upserted.rows.map((row) => row.id));
      const keys = (refused: (w: TransactionWrite) => boolean) => new Set(writes.filter(refused).map(keyOf));
      throw new RefusedInGroup(
        keys((w) => !written.has(keyOf(w))),
        keys((w) => !current.has(w.tx.id)),
      );
    }
    if (samples !== '[]') await insertSamples(samples).execute(trx);
  }
}

/**
 * A group's rows as three JSON documents. Each statement takes its rows as one JSON
 * parameter and expands it with json_populate_recordset: one bind parameter whatever the
 * group size, no VALUES list of thousands of tuples for the query builder to compile or for
 * the server to parse.
 */
function groupRows(writes: TransactionWrite[]) {
  const transactions = writes.map((w) => transactionRow(w.tx));
  const events = writes.map(({ tx, event }) => ({
    transaction_id: tx.id,
    station_id: tx.stationId,
    dedupe_key: event.dedupeKey,
    kind: event.kind,
    seq_no: event.seqNo,
    trigger_reason: event.triggerReason,
    occurred_at: event.occurredAt,
    received_at: event.receivedAt,
    offline: event.offline,
    summary: event.summary,
  }));
  const samples = writes.flatMap(({ tx, samples }) =>
    samples.map((s) => ({
      transaction_id: tx.id,
      sampled_at: s.at,
      measurand: s.measurand,
      phase: s.phase,
      location: s.location,
      context: s.context,
      value: s.value,
      unit: s.unit,
    })),
  );
  return { transactions: JSON.stringify(transactions), events: JSON.stringify(events), samples: JSON.stringify(samples) };
}

const columnList = (columns: readonly string[]) => sql.join(columns.map((c) => sql.ref(c)));

/** Without its RETURNING clause. A row updates only over the version it was decided from (compare-and-set). */
function upsertTransactions(rowsJson: string) {
  const columns = columnList(TRANSACTION_COLUMNS);
  return sql`insert into transactions (${columns}) select ${columns} from json_populate_recordset(null::transactions, ${rowsJson}::json)
    on conflict (id) do update set ${sql.join(UPDATED_COLUMNS.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}
    where transactions.version = excluded.version - 1`;
}

/** Without its RETURNING clause, which each caller adds. */
function insertEvents(rowsJson: string) {
  const columns = columnList(EVENT_COLUMNS);
  return sql`insert into transaction_events (${columns}) select ${columns} from json_populate_recordset(null::transaction_events, ${rowsJson}::json)
    on conflict (station_id, dedupe_key) do nothing`;
}

function insertSamples(rowsJson: string) {
  const columns = columnList(SAMPLE_COLUMNS);
  return sql`insert into transaction_meter_values (${columns}) select ${columns} from json_populate_recordset(null::transaction_meter_values, ${rowsJson}::json)`;
}
