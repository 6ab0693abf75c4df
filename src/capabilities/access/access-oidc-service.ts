/**
 * OpenID Connect sign-in for the console (issue 13, ADR 21): the authorization code flow with PKCE,
 * done by openid-client. The tenant's settings, the pending logins (state, nonce, PKCE verifier) and
 * the one-time tickets live in the database, so the callback and the redemption may reach any node.
 *
 *   start    discovery (cached per tenant) -> state, nonce, verifier -> pending login row -> the
 *            provider's authorization URL
 *   finish   take the pending login (single use, 10 min) -> code exchange with the verifier, ID token
 *            checked (issuer, audience, signature, nonce) -> e-mail (from the ID token, else from
 *            UserInfo) -> the tenant's user, or a new one with the default role -> one-time ticket
 *   redeem   take the ticket (single use, 60 s) -> a session, as a password sign-in makes it
 *
 * The client secret is read from the settings only to build the client's authentication; no log
 * line, error or answer carries it.
 */
import * as oidc from 'openid-client';
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/time.ts';
import type { Role } from '../../kernel/permissions.ts';
import { CodedError } from '../../kernel/errors.ts';
import type { User } from './access.ts';
import {
  decideSsoUser,
  identityFromClaims,
  issuerProblem,
  pendingLoginsExpiredBefore,
  pendingLoginValid,
  SSO_SCOPE,
  SSO_TICKET_PREFIX,
  ssoLandingUrl,
  ticketExpiry,
  ticketValid,
  type TenantOidcSettings,
} from './access-oidc.ts';
import type { OidcRepository } from './access-oidc-repository.ts';
import type { AccessRepository } from './access-repository.ts';
import { hashPassword, newId, newSecret, secretDigest } from './access-secrets-service.ts';

/** The path of the callback under the public base URL; the redirect URI to register at the provider. */
export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';
/** Discovery documents are re-read after this time (providers rotate keys and move endpoints, rarely). */
const DISCOVERY_TTL_MS = 60 * 60_000;

export interface OidcServiceDeps {
  repo: OidcRepository;
  users: Pick<AccessRepository, 'findUserByEmail' | 'findUser' | 'createUser'>;
  sessions: { startSession(user: Pick<User, 'id'>): Promise<{ token: string; expiresAt: Date }> };
  tenantExists(id: string): Promise<boolean>;
  clock: Clock;
  passwordCost: number;
  log: Logger;
}

export interface OidcSettingsInput {
  issuer: string;
  clientId: string;
  /** Absent: keep the stored secret; null: remove it (a public client). */
  clientSecret?: string | null;
  defaultRole?: Role | null;
}

interface Discovered {
  key: string;
  at: number;
  config: Promise<oidc.Configuration>;
}

export class OidcService {
  private readonly discovered = new Map<string, Discovered>();

  constructor(private readonly deps: OidcServiceDeps) {}

  async getSettings(tenantId: string): Promise<TenantOidcSettings> {
    const settings = await this.deps.repo.findSettings(tenantId);
    if (!settings) throw new CodedError('not-found', `single sign-on is not set up for tenant ${tenantId}`);
    return settings;
  }

  async putSettings(tenantId: string, input: OidcSettingsInput): Promise<TenantOidcSettings> {
    if (!(await this.deps.tenantExists(tenantId))) throw new CodedError('not-found', `tenant ${tenantId} does not exist`);
    const issuer = input.issuer.trim();
    const problem = issuerProblem(issuer);
    if (problem) throw new CodedError('invalid-input', problem);
    // A stored secret is kept only for the same provider: pointed elsewhere, it would be sent to whoever runs the new issuer.
    const previous = await this.deps.repo.findSettings(tenantId);
    const movedAway = previous !== null && previous.issuer !== issuer && input.clientSecret === undefined;
    const saved = await this.deps.repo.saveSettings({
      tenantId,
      issuer,
      clientId: input.clientId,
      clientSecret: input.clientSecret === '' || movedAway ? null : input.clientSecret,
      defaultRole: input.defaultRole ?? null,
      updatedAt: this.deps.clock(),
    });
    this.discovered.delete(tenantId);
    return saved;
  }

  async deleteSettings(tenantId: string): Promise<void> {
    if (!(await this.deps.repo.deleteSettings(tenantId))) throw new CodedError('not-found', `single sign-on is not set up for tenant ${tenantId}`);
    this.discovered.delete(tenantId);
  }

  /** Begins a sign-in: the URL of the provider's authorization endpoint to send the browser to. */
  async start(tenantId: string, publicBaseUrl: string, returnTo: string, browserBinding: string): Promise<URL> {
    const settings = await this.deps.repo.findSettings(tenantId);
    if (!settings) throw new CodedError('not-found', `single sign-on is not set up for organisation ${tenantId}`);
    const config = await this.configuration(settings);
    const now = this.deps.clock();
    const login = {
      state: oidc.randomState(),
      tenantId,
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      redirectUri: `${publicBaseUrl}${OIDC_CALLBACK_PATH}`,
      returnTo,
      browserBinding: secretDigest(browserBinding),
      createdAt: now,
    };
    // Abandoned sign-ins (the person closed the provider's page) are swept as new ones begin.
    await this.deps.repo.deletePendingLoginsBefore(pendingLoginsExpiredBefore(now));
    await this.deps.repo.addPendingLogin(login);
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: login.redirectUri,
      scope: SSO_SCOPE,
      state: login.state,
      nonce: login.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(login.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * The provider sent the browser back: `query` is the callback's query string as it arrived. The
   * answer is where to send the browser next (the console, with a one-time ticket in the fragment).
   */
  async finish(state: string, query: string): Promise<string> {
    const now = this.deps.clock();
    const login = await this.deps.repo.takePendingLogin(state);
    if (!login || !pendingLoginValid(login, now)) {
      throw new CodedError('invalid-input', 'this sign-in is unknown, was already completed or has expired (10 minutes); start it again from the console');
    }
    const settings = await this.deps.repo.findSettings(login.tenantId);
    if (!settings) throw new CodedError('not-found', `single sign-on is no longer set up for organisation ${login.tenantId}`);
    const config = await this.configuration(settings);

    const currentUrl = new URL(login.redirectUri);
    currentUrl.search = query;
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('no ID token');
      claims = { ...idToken };
      // A provider may keep the e-mail out of the ID token of a code flow (OpenID Connect Core 5.4): ask UserInfo,
      // which openid-client checks is about the same subject.
      if (claims.email === undefined && config.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
        claims = { ...claims, email: info.email, email_verified: info.email_verified };
      }
    } catch (error) {
      this.deps.log.warn({ tenantId: login.tenantId, issuer: settings.issuer, reason: describe(error) }, 'single sign-on: the provider did not confirm the sign-in');
      throw new CodedError('unauthorized', `the identity provider did not confirm the sign-in: ${describe(error)}`);
    }

    const identity = identityFromClaims(claims);
    if (!identity.ok) throw this.refused(login.tenantId, identity.reason);
    const found = await this.deps.users.findUserByEmail(identity.email);
    const decision = decideSsoUser(login.tenantId, identity.email, found === null ? null : withoutHash(found), settings.defaultRole);
    if (decision.kind === 'refuse') throw this.refused(login.tenantId, decision.reason);
    const user = decision.kind === 'sign-in' ? decision.user : await this.provision(login.tenantId, identity.email, decision.role, now);

    const ticket = newSecret(SSO_TICKET_PREFIX);
    await this.deps.repo.deleteTicketsExpiredAt(now);
    await this.deps.repo.addTicket(secretDigest(ticket), {
      tenantId: login.tenantId,
      userId: user.id,
      browserBinding: login.browserBinding,
      createdAt: now,
      expiresAt: ticketExpiry(now),
    });
    this.deps.log.info({ tenantId: login.tenantId, userId: user.id, provisioned: decision.kind === 'provision' }, 'single sign-on: signed in');
    return ssoLandingUrl(ticket, login.returnTo);
  }

  /** Trades a one-time ticket for a session; a ticket works once, for 60 seconds. */
  async redeem(ticket: string, browserBinding: string): Promise<{ token: string; expiresAt: Date }> {
    const found = ticket.startsWith(SSO_TICKET_PREFIX) ? await this.deps.repo.takeTicket(secretDigest(ticket)) : null;
    // Only the browser that started the sign-in holds the value its ticket was bound to.
    const bound = found !== null && found.browserBinding === secretDigest(browserBinding);
    const user = found && bound && ticketValid(found, this.deps.clock()) ? await this.deps.users.findUser({ tenantId: found.tenantId }, found.userId) : null;
    if (!user) throw new CodedError('unauthorized', 'this sign-in ticket is unknown, was already used or has expired; sign in again');
    return this.deps.sessions.startSession(user);
  }

  private refused(tenantId: string, reason: string): CodedError {
    this.deps.log.info({ tenantId, reason }, 'single sign-on: refused');
    return new CodedError('unauthorized', reason);
  }

  /** A first-time user: the tenant's default role and a random password nobody knows (they sign in through the provider). */
  private async provision(tenantId: string, email: string, role: Role, now: Date): Promise<User> {
    const user: User = { id: newId('usr_'), tenantId, email, role, siteIds: null, createdAt: now };
    const passwordHash = await hashPassword(newSecret(''), this.deps.passwordCost);
    // The address may have been taken meanwhile (in this or another tenant): one address is one account.
    if (!(await this.deps.users.createUser({ ...user, passwordHash }))) throw this.refused(tenantId, `${email} has no account in organisation ${tenantId}`);
    return user;
  }

  /**
   * The client for a tenant: the provider's discovery document, cached per tenant for an hour and
   * re-read when the settings change. A failed discovery is not cached.
   */
  private configuration(settings: TenantOidcSettings): Promise<oidc.Configuration> {
    const key = `${settings.issuer}\n${settings.clientId}\n${settings.updatedAt.getTime()}`;
    const cached = this.discovered.get(settings.tenantId);
    const nowMs = this.deps.clock().getTime();
    if (cached && cached.key === key && nowMs - cached.at < DISCOVERY_TTL_MS) return cached.config;
    const config = discover(settings).catch((error: unknown) => {
      if (this.discovered.get(settings.tenantId)?.config === config) this.discovered.delete(settings.tenantId);
      this.deps.log.warn({ tenantId: settings.tenantId, issuer: settings.issuer, reason: describe(error) }, 'single sign-on: discovery failed');
      throw new CodedError('internal', `the identity provider of organisation ${settings.tenantId} could not be reached or its discovery document is not valid`);
    });
    this.discovered.set(settings.tenantId, { key, at: nowMs, config });
    return config;
  }
}

async function discover(settings: TenantOidcSettings): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer);
  // http is accepted only for a provider on the loopback interface (issuerProblem); openid-client refuses it otherwise.
  const insecure = issuer.protocol === 'http:';
  const found = await oidc.discovery(issuer, settings.clientId, undefined, oidc.None(), insecure ? { execute: [oidc.allowInsecureRequests] } : undefined);
  const metadata = found.serverMetadata();
  const config = new oidc.Configuration(
    metadata,
    settings.clientId,
    settings.clientSecret === null ? undefined : { client_secret: settings.clientSecret },
    clientAuthentication(settings.clientSecret, metadata.token_endpoint_auth_methods_supported),
  );
  if (insecure) oidc.allowInsecureRequests(config);
  return config;
}

/**
 * How the client proves itself at the token endpoint: a public client by PKCE alone; a confidential
 * one with HTTP Basic, the method a provider must support when it names none (RFC 8414), else by
 * the form post when that is all the provider lists.
 */
function clientAuthentication(secret: string | null, supported: string[] | undefined): oidc.ClientAuth {
  if (secret === null) return oidc.None();
  if (supported && !supported.includes('client_secret_basic') && supported.includes('client_secret_post')) return oidc.ClientSecretPost(secret);
  return oidc.ClientSecretBasic(secret);
}

function withoutHash(record: User & { passwordHash?: string }): User {
  const { passwordHash: _hash, ...user } = record;
  return user;
}

/** An error in a few words for the log and the problem: its message and OAuth error code, never the request it came from. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const oauthError = (error as { error?: unknown }).error;
  const detail = (error as { error_description?: unknown }).error_description;
  const parts = [error.message, typeof oauthError === 'string' ? `(${oauthError}${typeof detail === 'string' ? `: ${detail}` : ''})` : ''];
  return parts.filter(Boolean).join(' ').slice(0, 300);
}
