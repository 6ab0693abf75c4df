/** Row types of the access capability's OpenID Connect tables (migration 0021, ADR 21). */
import type { Timestamp } from './timestamp.ts';

/** A tenant's identity provider. `client_secret` is for confidential clients; no API answer carries it. */
export interface TenantOidcTable {
  tenant_id: string;
  issuer: string;
  client_id: string;
  client_secret: string | null;
  /** The role a first-time user gets; null: only users that already exist may sign in this way. */
  default_role: string | null;
  updated_at: Timestamp;
}

/** A sign-in on its way through the provider, keyed by its `state`; single use, 10 minutes. */
export interface OidcPendingLoginsTable {
  state: string;
  tenant_id: string;
  nonce: string;
  code_verifier: string;
  /** The redirect_uri of the authorization request (the token request must repeat it exactly). */
  redirect_uri: string;
  return_to: string;
  /** Digest of the value the starting browser keeps; the ticket is redeemed only with it (login CSRF). */
  browser_binding: string;
  created_at: Timestamp;
}

/** What the callback hands the console: a one-time ticket (stored as its digest) for a user's session. */
export interface OidcTicketsTable {
  ticket_digest: string;
  tenant_id: string;
  user_id: string;
  browser_binding: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface OidcTables {
  tenant_oidc: TenantOidcTable;
  oidc_pending_logins: OidcPendingLoginsTable;
  oidc_tickets: OidcTicketsTable;
}
