/**
 * What a caller may do over the REST API (issue 13), and who the caller is. Every /api/v1 route
 * names one permission (http-server.ts refuses to boot otherwise); roles are sets of these
 * (capabilities/access/access.ts) and API keys carry them as scopes.
 *
 * Kernel file: plain data, no imports but the tenant scope.
 */
import type { TenantScope } from './tenant-scope.ts';

export const PERMISSIONS = [
  'tenants:read',
  'tenants:write',
  'stations:read',
  'stations:write',
  'tokens:read',
  'tokens:write',
  'transactions:read',
  'transactions:write',
  'commands:read',
  'commands:write',
  'users:read',
  'users:write',
  'api-keys:read',
  'api-keys:write',
  'audit:read',
  'billing:read',
  'billing:write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['owner', 'admin', 'operator', 'technician', 'finance', 'viewer'] as const;

export type Role = (typeof ROLES)[number];

/** Who made a request: the bootstrap admin token, a signed-in user, or an API key. */
export type Caller =
  | { readonly kind: 'admin'; readonly scope: TenantScope; readonly permissions: ReadonlySet<Permission> }
  | {
      readonly kind: 'user';
      readonly id: string;
      readonly email: string;
      readonly role: Role;
      readonly sessionId: string;
      readonly scope: TenantScope;
      readonly permissions: ReadonlySet<Permission>;
    }
  | { readonly kind: 'api-key'; readonly id: string; readonly name: string; readonly scope: TenantScope; readonly permissions: ReadonlySet<Permission> };

/** How a caller is named in the audit trail and in logs (never a secret). */
export function callerLabel(caller: Caller): string {
  if (caller.kind === 'admin') return 'admin token';
  if (caller.kind === 'user') return caller.email;
  return `api key ${caller.name}`;
}

export function callerId(caller: Caller): string | null {
  return caller.kind === 'admin' ? null : caller.id;
}
