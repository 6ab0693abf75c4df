/**
 * Token import from CSV: a header row naming the columns (idToken required;
 * type, status, expiresAt, groupId optional, any order), comma-separated,
 * double quotes for values containing commas. Every error names its line.
 */
import { CodedError } from '../../kernel/errors.ts';
import { ID_TOKEN_TYPES, type IdTokenType, type TokenInput, type TokenStatus } from './authorization.ts';

function splitLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

const STATUSES: readonly string[] = ['Accepted', 'Blocked', 'Invalid'];

export function parseTokenCsv(text: string): TokenInput[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = splitLine(lines[0] ?? '');
  const column = (name: string) => header.indexOf(name);
  if (column('idToken') < 0) throw new CodedError('invalid-input', 'CSV header must name an idToken column');
  return lines.slice(1).map((line, index) => {
    const cells = splitLine(line);
    const get = (name: string) => {
      const at = column(name);
      const value = at < 0 ? '' : (cells[at] ?? '');
      return value === '' ? undefined : value;
    };
    const where = `CSV line ${index + 2}`;
    const idToken = get('idToken');
    if (!idToken || idToken.length > 255) throw new CodedError('invalid-input', `${where}: idToken must be 1-255 characters`);
    const type = get('type');
    if (type && !(ID_TOKEN_TYPES as readonly string[]).includes(type)) throw new CodedError('invalid-input', `${where}: unknown type ${type}`);
    const status = get('status');
    if (status && !STATUSES.includes(status)) throw new CodedError('invalid-input', `${where}: unknown status ${status}`);
    const expiresAt = get('expiresAt');
    if (expiresAt && Number.isNaN(Date.parse(expiresAt))) throw new CodedError('invalid-input', `${where}: expiresAt is not a date`);
    return { idToken, type: type as IdTokenType | undefined, status: status as TokenStatus | undefined, expiresAt: expiresAt ?? null, groupId: get('groupId') ?? null };
  });
}
