/**
 * The architecture rules bite: each violation below is planted in a copy of the tree, the
 * project's dependency-cruiser configuration runs over it, and the rule that must catch it has
 * to be named. A rule loosened until it no longer catches its violation fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readSource, sourceFiles, withoutComments } from '../support/source-code.ts';
import { join } from 'node:path';

const ROOT = process.cwd();

const PLANTED: Array<{ file: string; source: string; rule: string; what: string }> = [
  { what: 'kysely in a service', file: 'src/capabilities/stations/station-planted-service.ts', source: "import { sql } from 'kysely';\nexport const planted = sql;\n", rule: 'database-only-in-sql-adapters' },
  { what: 'node:crypto in a hyphenated core file', file: 'src/capabilities/stations/station-planted-rule.ts', source: "import { randomUUID } from 'node:crypto';\nexport const planted = randomUUID;\n", rule: 'core-uses-no-node-builtins' },
  { what: 'ajv in a core file', file: 'src/capabilities/stuck/stuck-planted.ts', source: "import { Ajv } from 'ajv';\nexport const planted = Ajv;\n", rule: 'core-imports-no-packages' },
  { what: 'a wire type in a SQL repository', file: 'src/capabilities/transactions/transaction-planted-repository-sql.ts', source: "import type { TransactionEvent2x } from './transaction-ocpp201.ts';\nexport type Planted = TransactionEvent2x;\n", rule: 'adapters-only-through-index' },
  { what: 'http/ importing the migrator', file: 'src/http/http-planted.ts', source: "import { migrateToLatest } from '../storage/migrator.ts';\nexport const planted = migrateToLatest;\n", rule: 'edges-do-not-know-each-other' },
  { what: 'a service reading OCPP schemas', file: 'src/capabilities/commands/command-planted-service.ts', source: "import { schemasFor } from '../../ocpp/ocpp-schemas.ts';\nexport const planted = schemasFor;\n", rule: 'ocpp-wire-stops-at-adapters' },
  { what: 'the console importing the CSMS', file: 'web/src/lib/planted.ts', source: "import { CodedError } from '../../../src/kernel/errors.ts';\nexport const planted = CodedError;\n", rule: 'web-talks-only-rest' },
  { what: 'production code importing a test helper', file: 'src/kernel/planted.ts', source: "import { FakeTime } from '../../test/support/fake-time.ts';\nexport const planted = FakeTime;\n", rule: 'src-knows-no-tooling' },
  { what: 'production code importing a dev dependency', file: 'src/storage/planted.ts', source: "import { chromium } from 'playwright-core';\nexport const planted = chromium;\n", rule: 'src-uses-no-dev-dependencies' },
];

function cruise(dir: string): Array<{ from: string; rule: string }> {
  let output: string;
  try {
    output = execFileSync(join(ROOT, 'node_modules/.bin/depcruise'), ['src/**/*.ts', 'sim/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'tools/**/*.ts', 'web/src/**/*.{ts,tsx}', '--config', '.dependency-cruiser.cjs', '-T', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  } catch (error) {
    output = (error as { stdout: string }).stdout;
  }
  return (JSON.parse(output).summary.violations as Array<{ from: string; rule: { name: string } }>).map((v) => ({ from: v.from, rule: v.rule.name }));
}

test('every planted violation makes lint fail with the rule that forbids it; the real tree has none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chargebridge-rules-'));
  try {
    for (const part of ['src', 'sim', 'bench', 'test', 'tools', 'web/src', 'web/tsconfig.json', 'web/package.json', 'tsconfig.json', 'package.json', '.dependency-cruiser.cjs']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    assert.deepEqual(cruise(dir), [], 'the tree as it is passes');
    for (const p of PLANTED) writeFileSync(join(dir, p.file), p.source);
    const found = cruise(dir);
    for (const p of PLANTED) {
      assert.ok(found.some((v) => v.from === p.file && v.rule === p.rule), `${p.what} (${p.file}) is caught by ${p.rule}; found ${JSON.stringify(found.filter((v) => v.from === p.file))}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('core files never await: decisions are synchronous (time and data come in)', () => {
  const ROLE = /-(service|repository|repository-sql|sql|http|ocpp16|ocpp201|ocpp21|ports?|module)\.ts$/;
  const files = sourceFiles('src/kernel', 'src/capabilities').filter((f) => !f.endsWith('/index.ts') && !ROLE.test(f));
  assert.ok(files.length > 10, `found the core files (${files.length})`);
  const awaiting = files.filter((f) => /\b(await|async)\b/.test(withoutComments(readSource(f))));
  assert.deepEqual(awaiting, []);
});
