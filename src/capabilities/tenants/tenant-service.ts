/** Tenants: create, read, list (issue 13's first part; users, roles and scoping follow, ADR 20). */
import type { Clock } from '../../kernel/time.ts';
import { scopedTenant, scopeSees, type TenantScope } from '../../kernel/tenant-scope.ts';
import { CodedError } from '../../kernel/errors.ts';
import { DEFAULT_TENANT_ID, type Tenant } from './tenant.ts';
import type { TenantRepository } from './tenant-repository.ts';

export class TenantService {
  readonly defaultTenantId = DEFAULT_TENANT_ID;

  constructor(
    private readonly repo: TenantRepository,
    private readonly clock: Clock,
  ) {}

  async create(input: { id: string; name: string }): Promise<Tenant> {
    const tenant: Tenant = { id: input.id, name: input.name, createdAt: this.clock() };
    if (!(await this.repo.create(tenant))) throw new CodedError('already-exists', `tenant ${input.id} already exists`);
    return tenant;
  }

  /** A tenant the scope sees (another tenant answers not-found, like one that does not exist). */
  async get(scope: TenantScope, id: string): Promise<Tenant> {
    const tenant = await this.repo.find(id);
    if (!tenant || !scopeSees(scope, { tenantId: tenant.id })) throw new CodedError('not-found', `tenant ${id} does not exist`);
    return tenant;
  }

  /**
   * The tenant a caller's new row goes to: the one it names, else its own, else the default (a
   * caller that sees every tenant and names none). A scoped caller naming another tenant, or a tenant
   * that does not exist, is not-found: the answer does not tell which.
   */
  async writableTenant(scope: TenantScope, named?: string): Promise<string> {
    const own = scopedTenant(scope);
    const tenantId = named ?? own ?? DEFAULT_TENANT_ID;
    if ((own !== null && tenantId !== own) || !(await this.exists(tenantId))) throw new CodedError('not-found', `tenant ${tenantId} does not exist`);
    return tenantId;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.repo.find(id)) !== null;
  }

  async list(scope: TenantScope): Promise<Tenant[]> {
    return (await this.repo.list()).filter((tenant) => scopeSees(scope, { tenantId: tenant.id }));
  }

  /** Who owns a site (null: nobody yet). A site's id is global, like a station's (migration 0019). */
  siteTenant(siteId: string): Promise<string | null> {
    return this.repo.siteTenant(siteId);
  }

  /**
   * Makes sure the site belongs to the tenant: an unowned site becomes the tenant's; a site of
   * another tenant is not-found (its id must not be usable, nor its existence tell anything).
   */
  async claimSite(siteId: string, tenantId: string): Promise<void> {
    if ((await this.repo.claimSite(siteId, tenantId)) !== tenantId) throw new CodedError('not-found', `site ${siteId} does not exist`);
  }

  /** A caller writes a site's settings: the site becomes (or must be) the caller's tenant's, or the default's for a caller that sees every tenant. */
  claimSiteFor(scope: TenantScope, siteId: string): Promise<void> {
    return this.claimSite(siteId, scopedTenant(scope) ?? DEFAULT_TENANT_ID);
  }
}
