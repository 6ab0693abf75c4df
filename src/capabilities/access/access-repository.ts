/** The access capability's storage port: users, their sessions, API keys. Secrets arrive as digests. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { ApiKey, User, UserSession } from './access.ts';

export interface UserRecord extends User {
  passwordHash: string;
}

export interface AccessRepository {
  /** False when the e-mail is taken (in any tenant: one address signs in to one account). */
  createUser(user: UserRecord): Promise<boolean>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUser(scope: TenantScope, id: string): Promise<User | null>;
  listUsers(scope: TenantScope): Promise<User[]>;
  /** Removes the user and, with it, every session of the user; false when the scope has no such user. */
  deleteUser(scope: TenantScope, id: string): Promise<boolean>;

  createSession(session: UserSession, tokenDigest: string): Promise<void>;
  /** The session and its user, by the digest of the bearer token. */
  findSession(tokenDigest: string): Promise<{ session: UserSession; user: User } | null>;
  revokeSession(id: string, at: Date): Promise<void>;

  createApiKey(key: ApiKey, keyDigest: string): Promise<void>;
  findApiKeyByDigest(keyDigest: string): Promise<ApiKey | null>;
  findApiKey(scope: TenantScope, id: string): Promise<ApiKey | null>;
  listApiKeys(scope: TenantScope): Promise<ApiKey[]>;
  /** False when there is no such key in the scope, or it was already revoked. */
  revokeApiKey(scope: TenantScope, id: string, at: Date): Promise<boolean>;
}
