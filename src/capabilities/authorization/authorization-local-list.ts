/**
 * Local authorization list planning (OCPP 1.6 §5.15 / §6.41, OCPP 2.0.1
 * D01-D02): given the version the station reports, the version it last
 * confirmed to us and the current version, decide nothing, a differential
 * update (only what changed since the confirmed version) or a full list. Pure.
 */
import type { Decision, IdTokenType } from './authorization.ts';

/**
 * How a station answered one part of a local-list update, in the CSMS's own words (the station
 * list state in the REST API uses them too). Each version adapter maps its wire status onto these,
 * and the compiler refuses a wire status without a counterpart.
 */
export type LocalListSendOutcome = 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch';

export interface LocalListEntry {
  idToken: string;
  type: IdTokenType;
  /** null: remove the entry (differential updates only). */
  decision: Decision | null;
}

export type LocalListPlan =
  | { kind: 'none' }
  | { kind: 'full' | 'differential'; version: number; entries: LocalListEntry[] };

export interface LocalListState {
  /** What the station answered to GetLocalListVersion (0: no list, -1 in 1.6: not supported). */
  stationVersion: number;
  /** The version the station last accepted from us, if any. */
  confirmedVersion: number | null;
  /** The newest list version. */
  currentVersion: number;
  /** Our record says the last update to this station was sent in parts and did not finish. */
  incomplete?: boolean;
}

/** Which update brings the station to the current version. */
export function decideLocalListUpdate(state: LocalListState): 'none' | 'full' | 'differential' {
  if (state.currentVersion === 0) return 'none';
  // A list sent in parts carries the final version from its first part on, so a station
  // cut off half way reports the current version over a partial list: only a full list repairs it.
  if (state.incomplete) return 'full';
  if (state.stationVersion === state.currentVersion) return 'none';
  // Only changes since a version the station confirmed to us can be sent as a difference.
  const confirmed = state.confirmedVersion;
  return confirmed !== null && confirmed > 0 && state.stationVersion === confirmed ? 'differential' : 'full';
}

/**
 * Splits an update the station cannot take in one message (1.6 SendLocalListMaxLength,
 * 2.0.1 LocalAuthListCtrlr.ItemsPerMessage) into parts of at most `maxEntries`: the
 * first part keeps the update's kind (a full update replaces the list with it), every
 * later part adds to it as a differential update. All parts carry the final version.
 */
export function splitLocalListUpdate(
  plan: Exclude<LocalListPlan, { kind: 'none' }>,
  maxEntries: number,
): Array<Exclude<LocalListPlan, { kind: 'none' }>> {
  const size = Math.max(1, Math.floor(maxEntries));
  if (plan.entries.length <= size) return [plan];
  const parts: Array<Exclude<LocalListPlan, { kind: 'none' }>> = [];
  for (let from = 0; from < plan.entries.length; from += size) {
    parts.push({ kind: from === 0 ? plan.kind : 'differential', version: plan.version, entries: plan.entries.slice(from, from + size) });
  }
  return parts;
}

/** A station's configuration value that is a positive integer, or null (configuration values travel as strings). */
export function positiveInteger(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d{1,9}\s*$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}
