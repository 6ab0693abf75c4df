/**
 * The 1.6 -> 2.0.1 key table of docs/migrating-16-to-201.md, rendered from the key map
 * (src/capabilities/device-model/device-model-key-map*.ts). Shared by the generator
 * (tools/generate-migration-table.ts) and test/unit/device-model-key-map.test.ts, which fails
 * while the committed table differs from this rendering.
 */
import { fileURLToPath } from 'node:url';
import { KEY_MAPPINGS, formatTarget, type KeyMapping } from '../src/capabilities/device-model/device-model-key-map.ts';
import { SOURCES } from '../src/capabilities/device-model/device-model-key-map-table.ts';

export const MIGRATION_DOC = 'docs/migrating-16-to-201.md';
export const MIGRATION_DOC_PATH = fileURLToPath(new URL('../docs/migrating-16-to-201.md', import.meta.url));
export const TABLE_START = '<!-- key-map:start (generated from the device-model key map by `npx tsx tools/generate-migration-table.ts`; do not edit by hand) -->';
export const TABLE_END = '<!-- key-map:end -->';

const cell = (text: string) => text.replace(/\|/g, '\\|');

const VALUE_RULES: Record<KeyMapping['rule']['kind'], string> = {
  boolean: 'boolean, normalised to `true`/`false`',
  integer: 'integer, checked',
  string: 'text, at most 1000 characters',
  measurands: 'measurand list, see below',
  'rate-units': '`Current`→`A`, `Power`→`W`',
  'file-transfer-protocols': 'protocol list, upper case',
  'phase-rotation': 'split per component, see below',
  'security-profile': '1 to 3 (0 has no equivalent)',
  password: '32–40 hex digits; never shown',
  csl: 'list',
};

function target(mapping: KeyMapping): string {
  if (mapping.targets.length === 0) return '— none';
  return mapping.targets.map((t) => `\`${formatTarget(t)}\``).join('<br>');
}

function valueRule(mapping: KeyMapping): string {
  const rule = mapping.rule;
  const range = rule.kind === 'integer' ? ` (${rule.min}${rule.max === undefined ? '+' : `–${rule.max}`}${mapping.unit === undefined ? '' : ` ${mapping.unit}`})` : '';
  const readOnly = mapping.targets.length > 0 && mapping.targetReadOnly ? '; read-only in 2.0.1' : '';
  return `${VALUE_RULES[rule.kind]}${range}${readOnly}`;
}

export function renderMigrationTable(): string {
  const rows = KEY_MAPPINGS.map(
    (m) => `| \`${m.key}\` | ${m.profile} | ${m.access} | ${target(m)} | ${cell(valueRule(m))} | ${cell(m.note)} | ${m.source} |`,
  );
  const sources = Object.entries(SOURCES).map(([id, text]) => `- **${id}**: ${text}`);
  return [
    '| 1.6 key | 1.6 profile | 1.6 access | 2.0.1 target | value | note | source |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Sources:',
    '',
    ...sources,
  ].join('\n');
}

/** The text between the markers, or null when a marker is missing (or they are out of order). */
export function currentMigrationTable(markdown: string): string | null {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) return null;
  return markdown.slice(start + TABLE_START.length, end).trim();
}

/** The document with its table replaced by the current rendering (unchanged when the markers are missing). */
export function withMigrationTable(markdown: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) return markdown;
  return `${markdown.slice(0, start + TABLE_START.length)}\n\n${renderMigrationTable()}\n\n${markdown.slice(end)}`;
}
