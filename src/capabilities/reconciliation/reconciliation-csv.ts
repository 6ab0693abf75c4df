/** The reconciliation as CSV (core): one line per discrepancy, the columns of the JSON items. */
import { amountText, detailOf, type Discrepancy } from './reconciliation.ts';

export const RECONCILIATION_CSV_COLUMNS = [
  'kind',
  'transactionId',
  'holdId',
  'cdrId',
  'stationId',
  'tenantId',
  'stoppedAt',
  'currency',
  'amount',
  'amountMinor',
  'amountKnown',
  'detail',
] as const;

/**
 * RFC 4180 quoting. A field starting with = + - @ (or a tab or carriage return) is prefixed with '
 * so a spreadsheet never runs it as a formula (an id token or station id is chosen by others).
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reconciliationCsv(items: readonly Discrepancy[]): string {
  const lines = [RECONCILIATION_CSV_COLUMNS.join(',')];
  for (const d of items) {
    const row = [
      d.kind,
      d.transactionId,
      d.holdId,
      d.cdrId,
      d.stationId,
      d.tenantId,
      d.stoppedAt ? d.stoppedAt.toISOString() : null,
      d.currency,
      amountText(d.amountMinor, d.currency),
      d.amountMinor,
      d.amountKnown,
      detailOf(d),
    ];
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
