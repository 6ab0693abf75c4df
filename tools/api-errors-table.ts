/**
 * The error table of docs/api.md, rendered from the error-code registry. Shared by
 * the generator (tools/generate-api-errors.ts) and test/http/error-codes.test.ts,
 * which fails while the committed table differs from this rendering.
 */
import { fileURLToPath } from 'node:url';
import { ERROR_CODE_NAMES, ERROR_CODES } from '../src/kernel/error-codes.ts';

export const API_DOC = 'docs/api.md';
/** Absolute, so the generator and the test work from any directory. */
export const API_DOC_PATH = fileURLToPath(new URL('../docs/api.md', import.meta.url));
export const TABLE_START = '<!-- error-codes:start (generated from src/kernel/error-codes.ts by `npx tsx tools/generate-api-errors.ts`; do not edit by hand) -->';
export const TABLE_END = '<!-- error-codes:end -->';

/** A table cell: a pipe would end the cell early. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderErrorTable(): string {
  const rows = ERROR_CODE_NAMES.map((code) => {
    const { status, title, when } = ERROR_CODES[code];
    return `| \`${code}\` | ${status} | ${cell(title)} | ${cell(when)} |`;
  });
  return ['| code | status | title | when |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The text between the markers, or null when a marker is missing (or they are out of order). */
export function currentErrorTable(markdown: string): string | null {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) return null;
  return markdown.slice(start + TABLE_START.length, end).trim();
}

/** The document with the section between the markers replaced by the rendered table. */
export function withErrorTable(markdown: string): string {
  if (currentErrorTable(markdown) === null) throw new Error(`${API_DOC} lacks the markers ${TABLE_START} … ${TABLE_END}`);
  const start = markdown.indexOf(TABLE_START) + TABLE_START.length;
  const end = markdown.indexOf(TABLE_END);
  return `${markdown.slice(0, start)}\n${renderErrorTable()}\n${markdown.slice(end)}`;
}
