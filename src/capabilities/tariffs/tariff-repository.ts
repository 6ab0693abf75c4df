/** Storage port of the tariffs capability, named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { TariffModel } from './tariff.ts';
import type { TariffAssignment } from './tariff-assignment.ts';

export interface StoredTariff {
  id: string;
  tenantId: string;
  currency: string;
  version: number;
  /** When this version took effect. */
  validFrom: Date;
  tariff: TariffModel;
  createdAt: Date;
}

export interface TariffRepository {
  /** A new tariff with its first version; false when the id is taken. */
  create(tariff: StoredTariff): Promise<boolean>;
  /** A new version, valid from `validFrom`; the version before it stays for sessions that started under it. */
  addVersion(id: string, tariff: TariffModel, validFrom: Date): Promise<StoredTariff | null>;
  /** The current version. */
  find(id: string): Promise<StoredTariff | null>;
  list(scope: TenantScope): Promise<StoredTariff[]>;
  versions(id: string): Promise<StoredTariff[]>;
  /** One version of a tariff. */
  version(id: string, version: number): Promise<StoredTariff | null>;
  /** The version in force at `at` (the latest one valid from at or before it), or null when none was yet. */
  versionAt(id: string, at: Date): Promise<StoredTariff | null>;
  /** Adds an assignment to the history (rows are never changed). */
  assign(assignment: Omit<TariffAssignment, 'id'>): Promise<TariffAssignment>;
  /**
   * The tenant's assignments that may cover a session at this station (its own, its EVSEs' and
   * connectors', its site's and the tenant's), made at or before `at`, every token group.
   */
  assignmentsFor(tenantId: string, stationId: string, siteId: string | null, at: Date): Promise<TariffAssignment[]>;
  /** History, newest first: the scope's assignments, optionally of one station (its EVSEs' and connectors' too) or one site. */
  assignments(scope: TenantScope, filter: { stationId?: string; siteId?: string; limit: number }): Promise<TariffAssignment[]>;
}
