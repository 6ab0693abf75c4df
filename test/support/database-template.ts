/**
 * A fresh PGlite takes seconds to create and migrate; a dumped, already
 * migrated data directory loads in a fraction of that. The template is built
 * once per migration set and cached under .tmp/ (git-ignored).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from '../../src/storage/pglite-dialect.ts';
import { migrateToLatest } from '../../src/storage/migrator.ts';

const CACHE_DIR = join(process.cwd(), '.tmp');

function migrationFingerprint(): string {
  const source = readFileSync(new URL('../../src/storage/migrator.ts', import.meta.url), 'utf8');
  const hash = createHash('sha256').update(source);
  for (const match of source.matchAll(/from '(\.\/migrations\/[^']+)'/g)) {
    hash.update(readFileSync(new URL(`../../src/storage/${(match[1] as string).slice(2)}`, import.meta.url)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function buildTemplate(path: string): Promise<void> {
  const pglite = new PGlite();
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) });
  await migrateToLatest(db as never);
  const dump = await pglite.dumpDataDir('gzip');
  await db.destroy();
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${path}.${process.pid}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, path);
}

/** A migrated in-memory PGlite, ready to use. */
export async function freshPglite(): Promise<PGlite> {
  const path = join(CACHE_DIR, `pglite-template-${migrationFingerprint()}.tar.gz`);
  if (!existsSync(path)) await buildTemplate(path);
  const pglite = new PGlite({ loadDataDir: new Blob([readFileSync(path)]) });
  await pglite.waitReady;
  return pglite;
}
