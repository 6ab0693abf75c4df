/**
 * Who is signed in, in words for the top bar: the e-mail of a user (or what
 * kind of credential it is), the role, and how far the access reaches
 * (tenant, sites). Operators sharing a screen must see at a glance whose
 * rights the console is using.
 */
import type { Me } from './types.ts';

export function whoLabel(me: Me): string {
  if (me.email) return me.email;
  if (me.kind === 'admin') return 'Admin token';
  if (me.kind === 'api-key') return 'API key';
  return `User ${me.id}`;
}

/** The role; the bootstrap admin token has none but every permission. */
export function roleLabel(me: Me): string {
  if (me.role) return me.role;
  return me.kind === 'admin' ? 'full access' : 'no role';
}

export function scopeLabel(me: Me): string {
  const tenant = me.tenantId === null ? 'all tenants' : `tenant ${me.tenantId}`;
  if (me.siteIds === null) return tenant;
  const n = me.siteIds.length;
  return `${tenant}, ${n === 0 ? 'no sites' : n === 1 ? `site ${me.siteIds[0]}` : `${n} sites`}`;
}

/** Only user sessions end with POST /auth/logout; an API token or key lives on and is just forgotten. */
export function hasServerSession(me: Me): boolean {
  return me.kind === 'user';
}
