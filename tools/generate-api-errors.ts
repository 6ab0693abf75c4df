/**
 * Rewrites the error table of docs/api.md (between its error-codes markers) from
 * the registry in src/kernel/error-codes.ts. Run after changing the registry:
 *   npx tsx tools/generate-api-errors.ts          rewrite the table
 *   npx tsx tools/generate-api-errors.ts --check  exit 1 if it is stale (CI)
 * test/http/error-codes.test.ts fails while the table is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { API_DOC, API_DOC_PATH, withErrorTable } from './api-errors-table.ts';

const before = readFileSync(API_DOC_PATH, 'utf8');
const after = withErrorTable(before);
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error(`${API_DOC}: error table is stale; run npx tsx tools/generate-api-errors.ts`);
    process.exit(1);
  }
} else if (after !== before) {
  writeFileSync(API_DOC_PATH, after);
  console.log(`${API_DOC}: error table rewritten`);
}
