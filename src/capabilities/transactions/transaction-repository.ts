/** The transactions storage port, named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { CloseEvidence, MeterSample, Transaction, TransactionFlag, TransactionState } from './transaction.ts';

export interface TransactionEventRecord {
  dedupeKey: string;
  kind: string;
  seqNo: number | null;
  triggerReason: string | null;
  occurredAt: Date;
  receivedAt: Date;
  offline: boolean;
  summary: Record<string, unknown>;
}

/**
 * written: durable. duplicate: the message's idempotency key was recorded before (nothing written).
 * stale: the transaction was written by someone else since it was read (nothing written; read again and decide again).
 */
export type WriteOutcome = 'written' | 'duplicate' | 'stale';

export interface TransactionFilter {
  /** Whose transactions: the caller's tenant (and sites), or `ALL_TENANTS` for the platform's own reads. */
  scope: TenantScope;
  stationId?: string;
  idToken?: string;
  state?: TransactionState;
  /** Only transactions carrying this flag (an operator's review list: `meter-went-backwards`, `stuck`, ...). */
  flag?: TransactionFlag;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export interface TransactionRepository {
  /** The next `count` integer transaction ids the CSMS issues (a database sequence, so unique across nodes). */
  nextIssuedTransactionIds(count: number): Promise<number[]>;
  findByOcppId(stationId: string, ocppTransactionId: string): Promise<Transaction | null>;
  find(id: string): Promise<Transaction | null>;
  /** The transaction an already received message (same idempotency key) belongs to. */
  findByEventKey(stationId: string, dedupeKey: string): Promise<Transaction | null>;
  /** The open transaction on a connector, if any (1.6 MeterValues without transactionId). */
  findActiveOn(stationId: string, evseId: number): Promise<Transaction | null>;
  /**
   * Records one message of a transaction atomically: the event, the merged transaction
   * (created, or updated only over `tx.version - 1`) and its meter samples. Resolves once
   * durable; nothing is written when the key was seen (`duplicate`) or the row moved on (`stale`).
   */
  recordEvent(tx: Transaction, event: TransactionEventRecord, samples: readonly MeterSample[]): Promise<WriteOutcome>;
  list(filter: TransactionFilter): Promise<{ items: Transaction[]; total: number }>;
  events(transactionId: string): Promise<TransactionEventRecord[]>;
  meterValues(transactionId: string, options: { measurand?: string; limit: number }): Promise<MeterSample[]>;

  // --- Closing the books of stuck sessions (the stuck capability drives these) ------------
  /** Open transactions (the only ones the CSMS may close itself), each with the next start on its EVSE. */
  listUnsettled(limit: number): Promise<Array<{ transaction: Transaction; nextStartAt: Date | null }>>;
  /** Readings for an estimate: the highest energy register sample and the next transaction on the same EVSE. */
  closeEvidence(tx: Transaction): Promise<Omit<CloseEvidence, 'endedAt'>>;
  /** Writes a close made by the CSMS (transaction + timeline event) atomically, guarded like recordEvent. */
  recordClose(tx: Transaction, event: TransactionEventRecord): Promise<WriteOutcome>;
}
