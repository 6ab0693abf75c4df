/**
 * Local authorization list planning (OCPP 1.6 §5.15 / §6.46, OCPP 2.0.1
 * D01-D02): given the version the station reports, the version it last
 * confirmed to us and the current version, decide nothing, a differential
 * update (only what changed since the confirmed version) or a full list. Pure.
 */
import type { Decision, IdTokenType } from './authorization.ts';

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
}

/** Which update brings the station to the current version. */
export function decideLocalListUpdate(state: LocalListState): 'none' | 'full' | 'differential' {
  if (state.currentVersion === 0 || state.stationVersion === state.currentVersion) return 'none';
  // Only changes since a version the station confirmed to us can be sent as a difference.
  const confirmed = state.confirmedVersion;
  return confirmed !== null && confirmed > 0 && state.stationVersion === confirmed ? 'differential' : 'full';
}
