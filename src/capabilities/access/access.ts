/**
 * Users, roles and API keys (issue 13): the pure decisions. Which permissions each role has, what
 * scope a credential gives, and when a session or key is no longer valid. Password hashing and
 * random secrets are I/O-free but need node:crypto, so they live in access-secrets-service.ts.
 */
import { PERMISSIONS, type Permission, type Role } from '../../kernel/permissions.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';

const READ_ALL: readonly Permission[] = ['tenants:read', 'stations:read', 'tokens:read', 'transactions:read', 'commands:read'];

/**
 * The role table. `tenants:write` (creating organisations) is an owner's, and takes effect only for
 * an owner whose scope is every tenant (isPlatformOwner); the HTTP route checks that scope too.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS.filter((p) => p !== 'tenants:write'),
  operator: [...READ_ALL, 'stations:write', 'tokens:write', 'transactions:write', 'commands:write', 'audit:read', 'billing:read'],
  // Commands on the stations of the sites they are assigned to: the site limit is the user's scope.
  technician: ['tenants:read', 'stations:read', 'transactions:read', 'commands:read', 'commands:write'],
  // Tariffs, CDRs, payments and reconciliation: the money is theirs to set and to check.
  finance: ['tenants:read', 'stations:read', 'transactions:read', 'billing:read', 'billing:write'],
  viewer: READ_ALL,
};

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return new Set(ROLE_PERMISSIONS[role]);
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  role: Role;
  /** The sites the user is limited to; null: every site of the tenant. */
  siteIds: string[] | null;
  createdAt: Date;
}

export interface UserSession {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  scopes: Permission[];
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** The first characters of the key, so an operator can tell keys apart; never enough to use it. */
  prefix: string;
  /** The sites the key is limited to; null: every site of the tenant. */
  siteIds: string[] | null;
}

/**
 * The default tenant is the operator's own organisation: its owners administer the whole platform
 * (every tenant), like the bootstrap admin token. Everyone else sees their own tenant only.
 */
export function isPlatformOwner(user: Pick<User, 'tenantId' | 'role'>, defaultTenantId: string): boolean {
  return user.role === 'owner' && user.tenantId === defaultTenantId;
}

export function userScope(user: Pick<User, 'tenantId' | 'role' | 'siteIds'>, defaultTenantId: string): TenantScope {
  if (isPlatformOwner(user, defaultTenantId)) return { all: true };
  return { tenantId: user.tenantId, siteIds: user.siteIds };
}

export function keyScope(key: Pick<ApiKey, 'tenantId' | 'siteIds'>): TenantScope {
  return { tenantId: key.tenantId, siteIds: key.siteIds };
}

/** Nobody hands out more than they hold: a role whose every permission the granter has. */
export function roleWithin(role: Role, granted: ReadonlySet<Permission>): boolean {
  return ROLE_PERMISSIONS[role].every((permission) => granted.has(permission));
}

/**
 * The sites a new user or key is limited to. A granter limited to sites passes its limit on: it
 * may name some of its own sites (none named: all of them), never another. Null: every site.
 */
export function grantableSites(granter: readonly string[] | null, requested: readonly string[] | undefined): string[] | null | 'beyond' {
  const named = requested && requested.length > 0 ? [...new Set(requested)] : null;
  if (granter === null) return named;
  if (named === null) return [...granter];
  return named.every((site) => granter.includes(site)) ? named : 'beyond';
}

export function sessionValid(session: UserSession, now: Date): boolean {
  return session.revokedAt === null && session.expiresAt.getTime() > now.getTime();
}

export function keyValid(key: ApiKey, now: Date): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now.getTime());
}

/** E-mail addresses are compared case-insensitively (people type them in every case). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Secrets the CSMS hands out start with a kind marker, so a leaked one is recognisable in a scan. */
export const SESSION_TOKEN_PREFIX = 'cbs_';
export const API_KEY_PREFIX = 'cbk_';
