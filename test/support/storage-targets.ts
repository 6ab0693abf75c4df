/**
 * The storage engines a contract suite runs on: always PGlite; PostgreSQL
 * too when CHARGEBRIDGE_TEST_DATABASE_URL (or DATABASE_URL) points at a server.
 * Each PostgreSQL run gets its own throw-away database.
 */
import pg from 'pg';
import { openStorage, type Storage } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrator.ts';
import { freshPglite } from './database-template.ts';

export interface StorageTargetFactory {
  name: string;
  /** Why the target is skipped, or null when it runs. */
  skip: string | null;
  open(): Promise<Storage>;
}

export const postgresUrl = process.env.CHARGEBRIDGE_TEST_DATABASE_URL ?? process.env.DATABASE_URL;

export async function throwAwayDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cb_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export const storageTargets: StorageTargetFactory[] = [
  {
    name: 'PGlite',
    skip: null,
    open: async () => openStorage({ kind: 'pglite', pglite: await freshPglite() }),
  },
  {
    name: 'PostgreSQL',
    skip: postgresUrl ? null : 'set CHARGEBRIDGE_TEST_DATABASE_URL (or DATABASE_URL) to run the PostgreSQL suite',
    async open() {
      const database = await throwAwayDatabase(postgresUrl as string);
      const storage = await openStorage({ kind: 'postgres', url: database.url, maxConnections: 4 });
      await migrateToLatest(storage.db);
      return {
        ...storage,
        async close() {
          await storage.close();
          await database.drop();
        },
      };
    },
  },
];
