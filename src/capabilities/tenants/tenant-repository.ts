/** The tenants capability's storage port. */
import type { Tenant } from './tenant.ts';

export interface TenantRepository {
  /** Creates the tenant; false when the id is taken. */
  create(tenant: Tenant): Promise<boolean>;
  find(id: string): Promise<Tenant | null>;
  /** Every tenant, by id. */
  list(): Promise<Tenant[]>;
}
