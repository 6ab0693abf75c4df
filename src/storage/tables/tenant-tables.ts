/** Row types of the tenants capability's tables. */
import type { Timestamp } from './timestamp.ts';

export interface TenantsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

export interface TenantTables {
  tenants: TenantsTable;
}
