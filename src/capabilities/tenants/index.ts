/** The tenants capability, as other capabilities and the composition root see it. */
export { tenantModule, type TenantModule } from './tenant-module.ts';
export { TenantService } from './tenant-service.ts';
export { SqlTenantRepository } from './tenant-repository-sql.ts';
export { DEFAULT_TENANT_ID, type Tenant } from './tenant.ts';
