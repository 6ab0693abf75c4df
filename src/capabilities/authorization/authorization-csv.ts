/**
 * Token import from CSV, the decisions: the first record is a header naming
 * the columns (idToken required; type, status, expiresAt, groupId optional,
 * any order); every later record is one token. Cells are trimmed; an empty
 * cell is an absent value. Every error names the line its record starts on,
 * in the message and as problem details ({ line, column }).
 * Reading the text into records (quotes, line breaks inside quotes) is
 * authorization-csv-service.ts's job, with csv-parse.
 */
import { CodedError } from '../../kernel/errors.ts';
import { ID_TOKEN_TYPES, type IdTokenType, type TokenInput, type TokenStatus } from './authorization.ts';

/** One CSV record: its cells and the line of the text it starts on (a quoted cell may span lines). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

const STATUSES: readonly string[] = ['Accepted', 'Blocked', 'Invalid'];

export function tokensFromCsvRecords(records: readonly CsvRecord[]): TokenInput[] {
  const [header, ...rows] = records;
  const names = (header?.cells ?? []).map((name) => name.trim());
  const column = (name: string) => names.indexOf(name);
  if (column('idToken') < 0) throw new CodedError('invalid-input', 'CSV header must name an idToken column');
  return rows.map(({ line, cells }) => {
    const get = (name: string) => {
      const at = column(name);
      const value = at < 0 ? '' : (cells[at] ?? '').trim();
      return value === '' ? undefined : value;
    };
    // Line and column also as problem `details`, so a client can point at the cell without parsing the message.
    const invalid = (column: string, message: string) => new CodedError('invalid-input', `CSV line ${line}: ${message}`, { line, column });
    const idToken = get('idToken');
    if (!idToken || idToken.length > 255) throw invalid('idToken', 'idToken must be 1-255 characters');
    const type = get('type');
    if (type && !(ID_TOKEN_TYPES as readonly string[]).includes(type)) throw invalid('type', `unknown type ${type}`);
    const status = get('status');
    if (status && !STATUSES.includes(status)) throw invalid('status', `unknown status ${status}`);
    const expiresAt = get('expiresAt');
    if (expiresAt && Number.isNaN(Date.parse(expiresAt))) throw invalid('expiresAt', 'expiresAt is not a date');
    return { idToken, type: type as IdTokenType | undefined, status: status as TokenStatus | undefined, expiresAt: expiresAt ?? null, groupId: get('groupId') ?? null };
  });
}
