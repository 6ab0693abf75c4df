/**
 * Users, sign-in, sessions and API keys (issue 13), and the one question the HTTP edge asks:
 * who does this bearer secret belong to? Sessions and keys are looked up in the database on every
 * request, so a sign-out or a revoked key takes effect at once on every node of a cluster.
 */
import type { Clock } from '../../kernel/time.ts';
import { CodedError } from '../../kernel/errors.ts';
import { PERMISSIONS, type Caller, type Permission, type Role } from '../../kernel/permissions.ts';
import { scopedSites, type TenantScope } from '../../kernel/tenant-scope.ts';
import {
  API_KEY_PREFIX,
  grantableSites,
  keyScope,
  roleWithin,
  keyValid,
  normalizeEmail,
  permissionsOf,
  SESSION_TOKEN_PREFIX,
  sessionValid,
  userScope,
  type ApiKey,
  type User,
} from './access.ts';
import type { AccessRepository } from './access-repository.ts';
import { hashPassword, newId, newSecret, secretDigest, verifyPassword } from './access-secrets-service.ts';
import { LoginThrottle } from './access-login-throttle.ts';

export interface AccessSettings {
  passwordCost: number;
  sessionTtlSec: number;
  loginMaxFailures: number;
  loginLockoutSec: number;
}

export interface AccessServiceDeps {
  repo: AccessRepository;
  clock: Clock;
  settings: AccessSettings;
  defaultTenantId: string;
  /** The tenant a caller's new user or key goes to; not-found for one it may not name. */
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
  /** Makes the site the tenant's if nobody owns it; not-found when another tenant does. */
  claimSite(siteId: string, tenantId: string): Promise<void>;
}

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  tenantId?: string;
  siteIds?: string[];
}

export interface NewApiKey {
  name: string;
  scopes: Permission[];
  siteIds?: string[];
  tenantId?: string;
  expiresAt?: Date | null;
}

export class AccessService {
  private readonly throttle: LoginThrottle;
  /** Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
  private decoyHash: Promise<string> | null = null;

  constructor(private readonly deps: AccessServiceDeps) {
    this.throttle = new LoginThrottle(deps.settings.loginMaxFailures, deps.settings.loginLockoutSec * 1000);
  }

  /** The caller a session token or API key stands for; null when it is unknown, expired or revoked. */
  async authenticate(secret: string): Promise<Caller | null> {
    const now = this.deps.clock();
    if (secret.startsWith(SESSION_TOKEN_PREFIX)) {
      const found = await this.deps.repo.findSession(secretDigest(secret));
      if (!found || !sessionValid(found.session, now)) return null;
      const { user, session } = found;
      return {
        kind: 'user',
        id: user.id,
        email: user.email,
        role: user.role,
        sessionId: session.id,
        scope: userScope(user, this.deps.defaultTenantId),
        permissions: permissionsOf(user.role),
      };
    }
    if (secret.startsWith(API_KEY_PREFIX)) {
      const key = await this.deps.repo.findApiKeyByDigest(secretDigest(secret));
      if (!key || !keyValid(key, now)) return null;
      return { kind: 'api-key', id: key.id, name: key.name, scope: keyScope(key), permissions: new Set(key.scopes) };
    }
    return null;
  }

  /** Signs a user in; `clientAddress` is throttled beside the e-mail. */
  /**
   * Signs a user in; `clientAddress` is throttled beside the e-mail. `attribute` learns the tenant of
   * the account the e-mail names (for the audit trail), whether the password was right or not.
   */
  async login(
    emailInput: string,
    password: string,
    clientAddress: string,
    attribute: (tenantId: string) => void = () => undefined,
  ): Promise<{ token: string; expiresAt: Date; user: User }> {
    const email = normalizeEmail(emailInput);
    const emailKey = `email:${email}`;
    const addressKey = `address:${clientAddress}`;
    const waitMs = this.throttle.attempt([emailKey, addressKey], this.deps.clock().getTime());
    if (waitMs > 0) throw new CodedError('rate-limited', 'too many failed sign-ins; try again later', { retryAfterSec: Math.ceil(waitMs / 1000) });
    const found = await this.deps.repo.findUserByEmail(email);
    if (found) attribute(found.tenantId);
    const ok = await verifyPassword(password, found?.passwordHash ?? (await this.decoy()));
    if (!found || !ok) throw new CodedError('unauthorized', 'wrong e-mail or password');
    this.throttle.succeeded(emailKey, [addressKey]);
    const { passwordHash: _secret, ...user } = found;
    return { ...(await this.startSession(user)), user };
  }

  /** A new console session for a user who proved who they are (a password above, or single sign-on). */
  async startSession(user: Pick<User, 'id'>): Promise<{ token: string; expiresAt: Date }> {
    const now = this.deps.clock();
    const token = newSecret(SESSION_TOKEN_PREFIX);
    const expiresAt = new Date(now.getTime() + this.deps.settings.sessionTtlSec * 1000);
    await this.deps.repo.createSession({ id: newId('ses_'), userId: user.id, createdAt: now, expiresAt, revokedAt: null }, secretDigest(token));
    return { token, expiresAt };
  }

  async logout(caller: Caller): Promise<void> {
    if (caller.kind === 'user') await this.deps.repo.revokeSession(caller.sessionId, this.deps.clock());
  }

  async createUser(caller: Caller, input: NewUser): Promise<User> {
    const tenantId = await this.deps.writableTenant(caller.scope, input.tenantId);
    // Nobody hands out more than they hold: a role with a permission the caller lacks (an owner's, for an admin) is refused.
    if (!roleWithin(input.role, caller.permissions)) throw new CodedError('forbidden', `the caller may not create a user with role ${input.role}`);
    const siteIds = await this.grantSites(caller, tenantId, input.siteIds);
    const user: User = { id: newId('usr_'), tenantId, email: normalizeEmail(input.email), role: input.role, siteIds, createdAt: this.deps.clock() };
    const passwordHash = await hashPassword(input.password, this.deps.settings.passwordCost);
    if (!(await this.deps.repo.createUser({ ...user, passwordHash }))) throw new CodedError('already-exists', `a user with e-mail ${user.email} already exists`);
    return user;
  }

  /** Removes a user (an employee who left): its sessions end at once. Nobody removes someone with more rights. */
  async deleteUser(caller: Caller, id: string): Promise<void> {
    const user = await this.getUser(caller.scope, id);
    if (!roleWithin(user.role, caller.permissions)) throw new CodedError('forbidden', `the caller may not remove a user with role ${user.role}`);
    const sites = scopedSites(caller.scope);
    if (sites && (user.siteIds === null || user.siteIds.some((site) => !sites.includes(site)))) {
      throw new CodedError('forbidden', 'a caller limited to sites may remove only users limited to its sites');
    }
    await this.deps.repo.deleteUser(caller.scope, id);
  }

  async getUser(scope: TenantScope, id: string): Promise<User> {
    const user = await this.deps.repo.findUser(scope, id);
    if (!user) throw new CodedError('not-found', `user ${id} does not exist`);
    return user;
  }

  listUsers(scope: TenantScope): Promise<User[]> {
    return this.deps.repo.listUsers(scope);
  }

  /** A new key; its secret is in this answer only (stored as a digest). */
  async createApiKey(caller: Caller, input: NewApiKey): Promise<{ key: ApiKey; secret: string }> {
    const tenantId = await this.deps.writableTenant(caller.scope, input.tenantId);
    // A key can do at most what its creator can: a scope the caller lacks is refused, not dropped.
    const beyond = input.scopes.filter((scope) => !caller.permissions.has(scope));
    if (beyond.length > 0) throw new CodedError('forbidden', `the key may not have scopes its creator lacks: ${beyond.join(', ')}`);
    if (input.expiresAt && input.expiresAt.getTime() <= this.deps.clock().getTime()) throw new CodedError('invalid-input', 'expiresAt is not in the future');
    const siteIds = await this.grantSites(caller, tenantId, input.siteIds);
    const secret = newSecret(API_KEY_PREFIX);
    const key: ApiKey = {
      id: newId('key_'),
      tenantId,
      name: input.name,
      scopes: PERMISSIONS.filter((p) => input.scopes.includes(p)),
      createdAt: this.deps.clock(),
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
      siteIds,
    };
    await this.deps.repo.createApiKey(key, secretDigest(secret));
    return { key, secret };
  }

  listApiKeys(scope: TenantScope): Promise<ApiKey[]> {
    return this.deps.repo.listApiKeys(scope);
  }

  async getApiKey(scope: TenantScope, id: string): Promise<ApiKey> {
    const key = await this.deps.repo.findApiKey(scope, id);
    if (!key) throw new CodedError('not-found', `API key ${id} does not exist`);
    return key;
  }

  async revokeApiKey(scope: TenantScope, id: string): Promise<void> {
    const key = await this.getApiKey(scope, id);
    if (key.revokedAt === null) await this.deps.repo.revokeApiKey(scope, id, this.deps.clock());
  }

  /** The sites a new user or key is limited to: within the caller's, and each a site of the tenant. */
  private async grantSites(caller: Caller, tenantId: string, requested: readonly string[] | undefined): Promise<string[] | null> {
    const sites = grantableSites(scopedSites(caller.scope), requested);
    if (sites === 'beyond') throw new CodedError('forbidden', 'the caller may not grant sites beyond its own');
    for (const siteId of sites ?? []) await this.deps.claimSite(siteId, tenantId);
    return sites;
  }


  private decoy(): Promise<string> {
    this.decoyHash ??= hashPassword(newSecret(''), this.deps.settings.passwordCost);
    return this.decoyHash;
  }
}
