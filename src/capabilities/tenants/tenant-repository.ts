/** The tenants capability's storage port. */
import type { Tenant } from './tenant.ts';

export interface TenantRepository {
  /** Creates the tenant; false when the id is taken. */
  create(tenant: Tenant): Promise<boolean>;
  find(id: string): Promise<Tenant | null>;
  /** Every tenant, by id. */
  list(): Promise<Tenant[]>;
  /** The tenant that owns a site, or null when no tenant does yet. */
  siteTenant(siteId: string): Promise<string | null>;
  /** Gives an unowned site to the tenant; returns the site's tenant afterwards (the owner if it had one). */
  claimSite(siteId: string, tenantId: string): Promise<string>;
}
