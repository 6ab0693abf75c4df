/**
 * One Kysely instance over either embedded PGlite (default: a directory on
 * disk, or memory) or a PostgreSQL server. Both speak the PostgreSQL dialect,
 * so every repository has one SQL and there is one migration set.
 */
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { DatabaseSchema } from './database-schema.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type Database = Kysely<DatabaseSchema>;

export type StorageTarget =
  | { kind: 'pglite'; dataDir?: string; pglite?: PGlite }
  | { kind: 'postgres'; url: string; maxConnections?: number };

export interface Storage {
  db: Database;
  kind: StorageTarget['kind'];
  /** Human-readable location for the banner; never contains a password. */
  describe: string;
  close(): Promise<void>;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

export async function openStorage(target: StorageTarget): Promise<Storage> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.maxConnections ?? 10 });
    // A broken idle connection must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', describe: redactUrl(target.url), close: () => db.destroy() };
  }
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const pglite = target.pglite ?? new PGlite(target.dataDir);
  await pglite.waitReady;
  const db = new Kysely<DatabaseSchema>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: 'pglite',
    describe: target.dataDir ? `embedded PGlite in ${target.dataDir}` : 'embedded PGlite in memory',
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
