/**
 * Group commit for transaction messages. Every message is still written
 * atomically (its event, the merged transaction and its meter samples land
 * in the same database transaction, and the station gets its answer only
 * after the commit), but the messages that arrive while one commit is in
 * flight are written together by the next one: three set-based statements
 * per group instead of five round trips per message.
 *
 * One message per station can be in a group at a time: the service holds a
 * per-station lock until the write resolves, so two rows of one group never
 * touch the same transaction (a multi-row upsert may not update a row twice).
 */
import { sql } from 'kysely';
import { BatchQueue } from '../../storage/batch-queue.ts';
import type { Database } from '../../storage/database.ts';
import type { MeterSample, Transaction } from './transaction.ts';
import type { TransactionEventRecord } from './transaction-repository.ts';

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
    meter_stop_wh: tx.meterStopWh,
    last_meter_wh: tx.lastMeterWh,
    last_meter_at: tx.lastMeterAt,
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
  };
}

type TransactionRow = ReturnType<typeof transactionRow>;
/** The columns the writer sets, named (a column added later keeps its default instead of a NULL). */
const TRANSACTION_COLUMNS = Object.keys(transactionRow({ flags: [] } as unknown as Transaction)) as Array<keyof TransactionRow>;
/** Columns an upsert overwrites: everything but the identity and the creation time. */
const UPDATED_COLUMNS = TRANSACTION_COLUMNS.filter((column) => column !== 'id' && column !== 'created_at');

/** Thrown inside a group's database transaction to roll it back when some of its messages were already recorded. */
class DuplicatesInGroup extends Error {
  constructor(readonly keys: ReadonlySet<string>) {
    super('duplicate transaction messages in group');
  }
}

const eventKey = (stationId: string, dedupeKey: string) => `${stationId}\u0000${dedupeKey}`;

export class TransactionWriter {
  private readonly queue: BatchQueue<TransactionWrite, boolean>;

  constructor(private readonly db: Database) {
    this.queue = new BatchQueue((writes) => this.writeGroup(writes), MAX_MESSAGES_PER_GROUP, 2);
  }

  /** Resolves true once the message is durable, false when its idempotency key was recorded before. */
  write(write: TransactionWrite): Promise<boolean> {
    return this.queue.add(write);
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  private async writeGroup(writes: TransactionWrite[]): Promise<boolean[]> {
    const duplicates = new Set<string>();
    // A duplicate (a retried or replayed message) rolls the group back; the group is then
    // written again without it. Duplicates are rare, so the common path is one commit.
    for (;;) {
      const fresh = writes.filter((w) => !duplicates.has(eventKey(w.tx.stationId, w.event.dedupeKey)));
      if (fresh.length === 0) break;
      try {
        await this.db.transaction().execute((trx) => this.insertGroup(trx, fresh));
        break;
      } catch (error) {
        if (!(error instanceof DuplicatesInGroup)) throw error;
        for (const key of error.keys) duplicates.add(key);
      }
    }
    return writes.map((w) => !duplicates.has(eventKey(w.tx.stationId, w.event.dedupeKey)));
  }

  private async insertGroup(trx: Database, writes: TransactionWrite[]): Promise<void> {
    // Each statement takes its rows as one JSON parameter and expands it with
    // json_populate_recordset: one bind parameter whatever the group size, no VALUES list of
    // thousands of tuples for the query builder to compile or for the server to parse.
    // Transactions first: events and samples reference them.
    const transactions = writes.map((w) => transactionRow(w.tx));
    const columns = sql.join(TRANSACTION_COLUMNS.map((c) => sql.ref(c)));
    await sql`insert into transactions (${columns}) select ${columns} from json_populate_recordset(null::transactions, ${JSON.stringify(transactions)}::json)
      on conflict (id) do update set ${sql.join(UPDATED_COLUMNS.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`.execute(trx);
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
    const inserted = await sql<{ station_id: string; dedupe_key: string }>`
      insert into transaction_events (${sql.join(EVENT_COLUMNS.map((c) => sql.ref(c)))})
      select ${sql.join(EVENT_COLUMNS.map((c) => sql.ref(c)))} from json_populate_recordset(null::transaction_events, ${JSON.stringify(events)}::json)
      on conflict (station_id, dedupe_key) do nothing
      returning station_id, dedupe_key`.execute(trx);
    if (inserted.rows.length < writes.length) {
      const written = new Set(inserted.rows.map((row) => eventKey(row.station_id, row.dedupe_key)));
      throw new DuplicatesInGroup(new Set(writes.map((w) => eventKey(w.tx.stationId, w.event.dedupeKey)).filter((key) => !written.has(key))));
    }
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
    if (samples.length === 0) return;
    await sql`insert into transaction_meter_values (${sql.join(SAMPLE_COLUMNS.map((c) => sql.ref(c)))})
      select ${sql.join(SAMPLE_COLUMNS.map((c) => sql.ref(c)))} from json_populate_recordset(null::transaction_meter_values, ${JSON.stringify(samples)}::json)`.execute(trx);
  }
}
