/**
 * OpenID Connect sign-in for the console (issue 13, ADR 21): the pure decisions. How long a login
 * may stay at the provider and how long its one-time ticket lives, which issuer URLs are accepted,
 * where the console lands afterwards, what the provider must assert about the e-mail, and which
 * account of the tenant that e-mail signs in to (or whether one is made for it).
 *
 * The protocol itself (discovery, PKCE, the code exchange, ID token checks) is openid-client's, in
 * access-oidc-service.ts.
 */
import { ROLES, type Role } from '../../kernel/permissions.ts';
import { normalizeEmail, type User } from './access.ts';

/** A sign-in must come back from the provider within this time (a person typing a password, maybe a second factor). */
export const PENDING_LOGIN_TTL_MS = 10 * 60_000;
/** The console redeems its ticket at once; a minute covers a slow page load, not a copied link kept for later. */
export const TICKET_TTL_MS = 60_000;
/** One-time tickets start with a kind marker, like session tokens and API keys. */
export const SSO_TICKET_PREFIX = 'cbt_';
/** What the console asks the provider for: the ID token and the e-mail address. */
export const SSO_SCOPE = 'openid email';

/**
 * Roles a first-time single sign-on user may be given. Never `owner`: an owner of the default tenant
 * administers every tenant, and nobody should become that by merely having an account at a provider.
 */
export const SSO_DEFAULT_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'owner');

/** A tenant's identity provider, as stored. */
export interface TenantOidcSettings {
  tenantId: string;
  issuer: string;
  clientId: string;
  /** For a confidential client; null for a public one (PKCE alone). */
  clientSecret: string | null;
  /** The role a first-time user gets; null: only users that already exist may sign in this way. */
  defaultRole: Role | null;
  updatedAt: Date;
}

/** A sign-in on its way through the provider, found again by its `state` at the callback. */
export interface PendingLogin {
  state: string;
  tenantId: string;
  nonce: string;
  codeVerifier: string;
  /** The redirect_uri sent in the authorization request; the token request repeats it. */
  redirectUri: string;
  /** The console route to open after sign-in. */
  returnTo: string;
  /**
   * Digest of a random value the browser that started the sign-in keeps (the console's tab). Only
   * that browser can redeem the ticket: a callback URL of someone else's sign-in, opened by another
   * browser, signs nobody in (login CSRF, ADR 21).
   */
  browserBinding: string;
  createdAt: Date;
}

/** A one-time ticket for a user's session, handed to the console in the URL fragment. */
export interface SsoTicket {
  tenantId: string;
  userId: string;
  browserBinding: string;
  createdAt: Date;
  expiresAt: Date;
}

export function pendingLoginValid(login: Pick<PendingLogin, 'createdAt'>, now: Date): boolean {
  return now.getTime() - login.createdAt.getTime() < PENDING_LOGIN_TTL_MS;
}

/** Pending logins created before this instant have expired (the sweep deletes them). */
export function pendingLoginsExpiredBefore(now: Date): Date {
  return new Date(now.getTime() - PENDING_LOGIN_TTL_MS);
}

export function ticketExpiry(now: Date): Date {
  return new Date(now.getTime() + TICKET_TTL_MS);
}

export function ticketValid(ticket: Pick<SsoTicket, 'expiresAt'>, now: Date): boolean {
  return ticket.expiresAt.getTime() > now.getTime();
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why an issuer URL is not accepted, or null. HTTPS, except on the loopback interface (a provider
 * on the same machine, in development and tests): the discovery document, the keys and the token
 * exchange would otherwise travel in the clear.
 */
export function issuerProblem(issuer: string): string | null {
  if (!URL.canParse(issuer)) return 'the issuer must be an absolute URL';
  const url = new URL(issuer);
  if (url.username || url.password) return 'the issuer URL must not carry credentials';
  if (url.search || url.hash || issuer.includes('?') || issuer.includes('#')) return 'the issuer URL must have no query and no fragment';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'the issuer must use https (http only on the loopback interface)';
}

/**
 * The console route to open after sign-in: a hash path such as `/stations/CP-1?tab=status`. Anything
 * else (another origin, a fragment, the sign-in route itself) opens the console's start page.
 */
export function consoleReturnPath(value: string | undefined): string {
  if (value === undefined || !value.startsWith('/') || value.startsWith('//') || value.includes('#') || value.includes('\\')) return '/';
  if (/^\/sso(\/|\?|$)/.test(value)) return '/';
  return value;
}

/** Where the callback sends the browser: the console, with the ticket in the fragment (never sent to a server, never logged). */
export function ssoLandingUrl(ticket: string, returnTo: string): string {
  return `/#/sso?${new URLSearchParams({ ticket, returnTo }).toString()}`;
}

/** What the provider asserted about the person, or why it is not enough. */
export type SsoIdentity = { ok: true; email: string } | { ok: false; reason: string };

/**
 * The e-mail address the sign-in is for. The provider must assert one, and must not say it is
 * unverified: an address nobody proved to own would let anyone claim an existing account. A
 * provider that says nothing about verification is trusted (it is the tenant's own provider).
 */
export function identityFromClaims(claims: Readonly<Record<string, unknown>>): SsoIdentity {
  const email = claims.email;
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim())) return { ok: false, reason: 'the identity provider did not send an e-mail address' };
  const verified = claims.email_verified;
  if (verified === false || verified === 'false') return { ok: false, reason: 'the identity provider says the e-mail address is not verified' };
  return { ok: true, email: normalizeEmail(email) };
}

export type SsoUserDecision = { kind: 'sign-in'; user: User } | { kind: 'provision'; role: Role } | { kind: 'refuse'; reason: string };

/**
 * Which account the e-mail signs in to. Only the tenant's own: an account with the same address in
 * another tenant is as unknown as no account (and, since one address is one account, blocks making
 * one here). An unknown address gets an account only when the tenant set a default role.
 */
export function decideSsoUser(tenantId: string, email: string, found: User | null, defaultRole: Role | null): SsoUserDecision {
  if (found && found.tenantId === tenantId) return { kind: 'sign-in', user: found };
  if (!found && defaultRole !== null) return { kind: 'provision', role: defaultRole };
  return { kind: 'refuse', reason: `${email} has no account in organisation ${tenantId}; ask an administrator of your organisation to add you` };
}
