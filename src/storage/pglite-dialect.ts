/**
 * Kysely dialect for embedded PGlite. Kysely 0.29 has one built in, but 0.29
 * requires Node 22 and the project targets Node 20 (ADR 0017), so Kysely stays
 * on 0.28 and this file fills the gap. It takes the same config as 0.29's
 * `PGliteDialect`, so moving to Node 22 means importing that one and deleting
 * this file.
 *
 * PGlite is a single connection. The driver lends it to one user at a time
 * (a query, a transaction, the migrator), the rest wait in line. A transaction
 * runs inside PGlite's own `transaction()`, which also keeps direct users of
 * the same PGlite instance out until it ends and defers file system syncs to
 * the commit. Savepoints are not offered (nothing uses them).
 */
import { TransactionAbortedError, type PGlite, type Transaction } from '@electric-sql/pglite';
import {
  AbortedTransactionError,
  type CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

export interface PGliteDialectConfig {
  /** An instance; closed by `Kysely.destroy()` (as Kysely 0.29's dialect does). */
  pglite: PGlite;
}

export class PGliteDialect implements Dialect {
  constructor(private readonly config: PGliteDialectConfig) {}

  createAdapter(): DialectAdapter {
    return new PGliteAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.config.pglite);
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

class PGliteAdapter extends PostgresAdapter {
  // The migrator holds the only connection from lock to unlock, so no one else can run meanwhile.
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** Commands whose row count PostgreSQL reports as affected rows (as Kysely's pg driver reads them). */
const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

interface OpenTransaction {
  tx: Transaction;
  /** true: commit, false: roll back. */
  end: (commit: boolean) => void;
  /** Settles when PGlite has committed or rolled back. */
  ended: Promise<void>;
}

class PGliteConnection implements DatabaseConnection {
  private open: OpenTransaction | undefined;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await (this.open?.tx ?? this.pglite).query<R>(query.sql, [...query.parameters], { rowMode: 'object' });
    const counted = result.command !== undefined && COUNTED_COMMANDS.has(result.command.toUpperCase());
    return { rows: result.rows, numAffectedRows: counted ? BigInt(result.affectedRows ?? 0) : undefined };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results');
  }

  async begin(settings: TransactionSettings): Promise<void> {
    if (this.open) throw new Error('a PGlite transaction is already open on this connection');
    let started!: (tx: Transaction) => void;
    let end!: (commit: boolean) => void;
    const begun = new Promise<Transaction>((resolve) => (started = resolve));
    const decided = new Promise<boolean>((resolve) => (end = resolve));
    const ended = this.pglite.transaction(async (tx) => {
      started(tx);
      // Returning commits; a rolled back transaction is closed, so PGlite does not commit it.
      if (!(await decided)) await tx.rollback();
    });
    // A failed BEGIN rejects `ended` before the callback ever runs.
    const tx = await Promise.race([begun, ended.then(() => Promise.reject(new Error('PGlite transaction ended before it began')))]);
    this.open = { tx, end, ended };
    const characteristics = [
      settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '',
      settings.accessMode ?? '',
    ].filter(Boolean);
    if (characteristics.length === 0) return;
    try {
      await tx.query(`set transaction ${characteristics.join(' ')}`);
    } catch (error) {
      // Kysely does not roll back a transaction whose begin failed: end it here, or it would hold PGlite.
      await this.rollback();
      throw error;
    }
  }

  async commit(): Promise<void> {
    const open = this.take();
    open.end(true);
    try {
      await open.ended;
    } catch (error) {
      // COMMIT of a transaction an earlier statement aborted rolls back: report it as Kysely's pg driver does.
      if (error instanceof TransactionAbortedError) throw new AbortedTransactionError();
      throw error;
    }
  }

  async rollback(): Promise<void> {
    const open = this.take();
    open.end(false);
    // A rollback follows an error the caller is already handling; its own failure would hide that error.
    await open.ended.catch(() => undefined);
  }

  private take(): OpenTransaction {
    const open = this.open;
    if (!open) throw new Error('no PGlite transaction is open on this connection');
    this.open = undefined;
    return open;
  }
}

class PGliteDriver implements Driver {
  private connection: PGliteConnection | undefined;
  /** Settles when the current holder of the connection releases it. */
  private released: Promise<void> = Promise.resolve();
  private releaseHolder: (() => void) | undefined;

  constructor(private readonly pglite: PGlite) {}

  async init(): Promise<void> {
    if (this.pglite.closed) throw new Error('the PGlite instance is closed');
    await this.pglite.waitReady;
    this.connection = new PGliteConnection(this.pglite);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const before = this.released;
    let release!: () => void;
    this.released = new Promise<void>((resolve) => (release = resolve));
    await before;
    this.releaseHolder = release;
    return this.live();
  }

  async releaseConnection(): Promise<void> {
    const release = this.releaseHolder;
    this.releaseHolder = undefined;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as PGliteConnection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).rollback();
  }

  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }

  private live(): PGliteConnection {
    if (!this.connection) throw new Error('the PGlite driver is not initialised');
    return this.connection;
  }
}
