/** Storage port of the config-templates capability, named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { ConfigTemplate, DriftItem, TemplateSetting } from './config-template.ts';

/** A station's latest reconciliation against its templates. */
export interface Reconciliation {
  stationId: string;
  tenantId: string;
  /** Why it ran: `boot` (after an accepted BootNotification), `manual` (REST). */
  trigger: string;
  startedAt: Date;
  updatedAt: Date;
  /** When every key reached a final state; null while commands are out. */
  settledAt: Date | null;
  items: DriftItem[];
}

export interface DriftTotals {
  stations: number;
  settled: number;
  withDrift: number;
  withUnfixed: number;
}

export interface ConfigTemplateRepository {
  create(template: ConfigTemplate): Promise<void>;
  /** Replaces name, match and settings; false when it does not exist. */
  update(template: ConfigTemplate): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  find(id: string): Promise<ConfigTemplate | null>;
  list(scope: TenantScope): Promise<ConfigTemplate[]>;
  /** Every template of one tenant: the candidates for its stations. */
  ofTenant(tenantId: string): Promise<ConfigTemplate[]>;
  saveReconciliation(reconciliation: Reconciliation): Promise<void>;
  reconciliation(stationId: string): Promise<Reconciliation | null>;
  /** Counts over the latest reconciliation of every station in the scope. */
  driftTotals(scope: TenantScope): Promise<DriftTotals>;
  /** A page of them, those with keys not fixed first (then by station). */
  driftPage(scope: TenantScope, filter: { onlyNotFixed: boolean; limit: number; offset: number }): Promise<{ items: Reconciliation[]; total: number }>;
  /** Whether the station's mapped 1.6 settings were already written after it moved to 2.x. */
  migrated(stationId: string): Promise<boolean>;
  /** Records that they were (once per station: false when it already was). */
  recordMigration(stationId: string, tenantId: string, at: Date, settings: readonly TemplateSetting[]): Promise<boolean>;
  /** Reconciliations still waiting for commands (after a restart their commands have failed). */
  unsettled(): Promise<Reconciliation[]>;
}
