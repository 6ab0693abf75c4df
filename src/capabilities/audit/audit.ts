/**
 * The audit trail (issue 13): who did what, when, to what, and how it ended. Entries are appended,
 * never changed. Pure: the entry, how an API route becomes an action name, and the CSV export.
 */

export type AuditActorKind = 'admin' | 'user' | 'api-key' | 'system' | 'anonymous';

export interface AuditEntry {
  /** Assigned by the database; increasing, so `before` pages backwards through time. */
  id: string;
  at: Date;
  /** The tenant the action concerned; null for the platform's own (creating a tenant, the admin's reads of all). */
  tenantId: string | null;
  actor: { kind: AuditActorKind; id: string | null; label: string };
  /** `POST /api/v1/stations/{id}/commands`, or `command reset` for a command's outcome. */
  action: string;
  /** The request path, without the query (never a secret: credentials travel in headers). */
  path: string | null;
  stationId: string | null;
  requestId: string | null;
  /** An API call: its HTTP status and problem code. A command: no status, its final state as the code. */
  outcome: { status: number | null; code: string | null };
  /** Facts of the action (a command's id and state); never a secret. */
  detail: Record<string, unknown> | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/** A route as the OpenAPI document names it: `/stations/:id` becomes `/stations/{id}`. */
export function actionOf(method: string, routeUrl: string): string {
  return `${method.toUpperCase()} ${routeUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'tenantId', 'actorKind', 'actorId', 'actor', 'action', 'path', 'stationId', 'requestId', 'status', 'code'] as const;

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs it as a formula. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const e of entries) {
    const row = [e.id, e.at.toISOString(), e.tenantId, e.actor.kind, e.actor.id, e.actor.label, e.action, e.path, e.stationId, e.requestId, e.outcome.status, e.outcome.code];
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
