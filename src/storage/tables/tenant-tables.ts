/** Row types of the tenants capability's tables. */
import type { Timestamp } from './timestamp.ts';

export interface TenantsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

/** A site belongs to one tenant (migration 0019): its id is global, like a station's. */
export interface SitesTable {
  id: string;
  tenant_id: string;
}

export interface TenantTables {
  tenants: TenantsTable;
  sites: SitesTable;
}
