/** A tenant: an organisation that owns its sites, stations, id tokens and what later capabilities add (ADR 20). */

export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
}

/** The tenant every existing row belongs to, and the single operator's only one. */
export const DEFAULT_TENANT_ID = 'default';

/**
 * Tenant ids appear in URLs, logs and exports: lower-case letters, digits and dashes, starting
 * with a letter or digit, at most 64 characters.
 */
export const TENANT_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}$';
