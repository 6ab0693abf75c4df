/**
 * Rewrites the key table of docs/migrating-16-to-201.md (between its key-map markers) from the
 * device-model key map. Run after changing the map:
 *   npx tsx tools/generate-migration-table.ts          rewrite the table
 *   npx tsx tools/generate-migration-table.ts --check  exit 1 if it is stale
 * test/unit/device-model-key-map.test.ts fails while the table is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { MIGRATION_DOC, MIGRATION_DOC_PATH, withMigrationTable } from './migration-table.ts';

const before = readFileSync(MIGRATION_DOC_PATH, 'utf8');
const after = withMigrationTable(before);
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error(`${MIGRATION_DOC}: key table is stale; run npx tsx tools/generate-migration-table.ts`);
    process.exit(1);
  }
} else if (after !== before) {
  writeFileSync(MIGRATION_DOC_PATH, after);
  console.log(`${MIGRATION_DOC}: key table rewritten`);
}
