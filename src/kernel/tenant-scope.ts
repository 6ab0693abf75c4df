/**
 * Whose rows a read may see (ADR 20): one tenant, optionally narrowed to some of its sites, or
 * every tenant. The REST edge derives it from the caller's credential, the OCPP edge from the
 * station's registration; `{ all: true }` belongs to the platform's own jobs and to callers that
 * administer every tenant (the admin token, an owner of the default tenant).
 *
 * Kernel file: plain data and pure functions.
 */

export type TenantScope = { readonly all: true } | { readonly tenantId: string; readonly siteIds?: readonly string[] | null };

export const ALL_TENANTS: TenantScope = { all: true };

/** The one tenant a scope is limited to, or null when it sees every tenant. */
export function scopedTenant(scope: TenantScope): string | null {
  return 'all' in scope ? null : scope.tenantId;
}

/** The sites a scope is limited to, or null when it sees every site of its tenant(s). */
export function scopedSites(scope: TenantScope): readonly string[] | null {
  return 'all' in scope ? null : (scope.siteIds ?? null);
}

/** Whether a row owned by this tenant (and in this site, when it has one) is visible to the scope. */
export function scopeSees(scope: TenantScope, owner: { tenantId: string; siteId?: string | null }): boolean {
  if ('all' in scope) return true;
  if (owner.tenantId !== scope.tenantId) return false;
  const sites = scope.siteIds;
  if (!sites || owner.siteId === undefined) return true;
  return owner.siteId !== null && sites.includes(owner.siteId);
}
