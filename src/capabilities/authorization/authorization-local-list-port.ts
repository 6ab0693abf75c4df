/** How the local-list service speaks to one OCPP version, without seeing its wire types. */
import type { LocalListPlan } from './authorization-local-list.ts';

export interface LocalListTranslator {
  getVersion: { action: string; payload: Record<string, unknown> };
  parseVersion(response: unknown): number;
  send(plan: Exclude<LocalListPlan, { kind: 'none' }>): { action: string; payload: Record<string, unknown> };
  /** Accepted | Failed | NotSupported | VersionMismatch */
  parseStatus(response: unknown): string;
  /** Asks how many entries one SendLocalList may carry. */
  getMaxEntries: { action: string; payload: Record<string, unknown> };
  /** The station's limit, or null when it did not say. */
  parseMaxEntries(response: unknown): number | null;
}
