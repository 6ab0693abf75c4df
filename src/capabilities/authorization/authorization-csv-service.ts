/**
 * Token import from CSV, the reading: csv-parse turns the text into records
 * (RFC 4180: comma-separated, double quotes around a cell holding commas,
 * quotes or line breaks, "" for a quote inside; a UTF-8 byte order mark is
 * dropped; blank lines are skipped), then authorization-csv.ts decides what
 * each record means. A malformed text (a quote never closed, a stray quote)
 * is refused with the line csv-parse stopped at.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { CodedError } from '../../kernel/errors.ts';
import type { TokenInput } from './authorization.ts';
import { tokensFromCsvRecords, type CsvRecord } from './authorization-csv.ts';

interface ParsedRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** Line breaks inside a record's own text (not the blank lines skipped before it, not its final line break). */
function lineBreaksWithin(raw: string): number {
  const text = raw.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\r?\n$/, '');
  return text.split('\n').length - 1;
}

export function parseTokenCsv(text: string): TokenInput[] {
  let parsed: ParsedRecord[];
  try {
    parsed = parse(text, { bom: true, info: true, raw: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as ParsedRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    throw new CodedError('invalid-input', `CSV line ${line ?? '?'}: ${error.message}`, line === undefined ? undefined : { line });
  }
  // csv-parse counts lines up to a record's end; a record starts that many lines earlier as it has line breaks inside.
  const records: CsvRecord[] = parsed.map(({ record, raw, info }) => ({ line: info.lines - lineBreaksWithin(raw), cells: record }));
  return tokensFromCsvRecords(records);
}
