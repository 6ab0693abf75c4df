/** Storage port of the tariffs capability, named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { TariffModel } from './tariff.ts';

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
  /** The version in force at `at` (the latest one valid from at or before it), or null when none was yet. */
  versionAt(id: string, at: Date): Promise<StoredTariff | null>;
  assign(stationId: string, tenantId: string, tariffId: string, at: Date): Promise<void>;
  assignment(stationId: string): Promise<{ tariffId: string; assignedAt: Date } | null>;
}
