/**
 * The audit trail as an operator reads it: who (actor), what (the route
 * template, with plain words for the common station actions), and whether
 * it worked, as a word and a symbol as well as a colour.
 */
import { statusLook, type Tone } from './status.ts';
import type { AuditEntry } from './types.ts';

export interface OutcomeLook {
  label: string;
  symbol: string;
  tone: Tone;
}

/**
 * An API call: 2xx/3xx done, 4xx refused (wrong or not allowed), 5xx failed in the CSMS.
 * A command's outcome has no HTTP status but its final state (accepted, rejected, failed,
 * expired), shown with the same words as everywhere else in the console.
 */
export function outcomeLook(outcome: AuditEntry['outcome']): OutcomeLook {
  const code = outcome.code ? ` ${outcome.code}` : '';
  if (outcome.status === null) return outcome.code ? statusLook(outcome.code) : { label: 'No outcome recorded', symbol: '?', tone: 'muted' };
  if (outcome.status < 400) return { label: `Done (${outcome.status})`, symbol: '✓', tone: 'ok' };
  if (outcome.status < 500) return { label: `Refused (${outcome.status}${code})`, symbol: '⊘', tone: 'warn' };
  return { label: `Failed (${outcome.status}${code})`, symbol: '✕', tone: 'bad' };
}

// The station-related routes an operator meets most; any other action is shown as its route.
const ACTIONS: Record<string, string> = {
  'POST /api/v1/stations': 'Added the station',
  'PATCH /api/v1/stations/{id}': 'Changed the station',
  'DELETE /api/v1/stations/{id}': 'Deleted the station',
  'POST /api/v1/stations/{id}/commands': 'Sent a command',
};

/** Plain words for a known action, or null when the action itself is the best description. */
export function describeAction(action: string): string | null {
  if (action.startsWith('command ')) return `Outcome of the ${action.slice('command '.length)} command`;
  return ACTIONS[action] ?? null;
}

const ACTOR_KINDS: Record<string, string> = {
  admin: 'admin token',
  user: 'user',
  'api-key': 'API key',
  system: 'the CSMS',
  anonymous: 'not signed in',
};

/** Kinds the server may add later are shown as they come rather than hidden. */
export function actorKind(actor: AuditEntry['actor']): string {
  return ACTOR_KINDS[actor.kind] ?? actor.kind;
}

/** A file name that says what and when, safe on every file system. */
export function auditCsvName(stationId: string, now: Date): string {
  const safe = stationId.replace(/[^A-Za-z0-9._-]+/g, '_');
  const day = now.toISOString().slice(0, 10);
  return `audit-${safe}-${day}.csv`;
}
