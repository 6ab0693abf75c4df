/** The access repository over Kysely (one SQL for PGlite and PostgreSQL). */
import { readInScope } from '../../storage/tenant-reads.ts';
import type { Selectable } from 'kysely';
import type { Database } from '../../storage/database.ts';
import { asDate } from '../../storage/as-date.ts';
import type { ApiKeysTable, UsersTable } from '../../storage/tables/access-tables.ts';
import { scopedTenant, type TenantScope } from '../../kernel/tenant-scope.ts';
import type { Permission, Role } from '../../kernel/permissions.ts';
import type { ApiKey, User, UserSession } from './access.ts';
import type { AccessRepository, UserRecord } from './access-repository.ts';

const toUser = (row: Selectable<UsersTable>): User => ({
  id: row.id,
  tenantId: row.tenant_id,
  email: row.email,
  role: row.role as Role,
  siteIds: row.site_ids,
  createdAt: asDate(row.created_at) as Date,
});

const toKey = (row: Selectable<ApiKeysTable>): ApiKey => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  scopes: row.scopes as Permission[],
  prefix: row.prefix,
  siteIds: row.site_ids,
  createdAt: asDate(row.created_at) as Date,
  expiresAt: asDate(row.expires_at),
  revokedAt: asDate(row.revoked_at),
});

export class SqlAccessRepository implements AccessRepository {
  constructor(private readonly db: Database) {}

  private users(scope: TenantScope, db: Database = this.db) {
    const tenantId = scopedTenant(scope);
    const query = db.selectFrom('users').selectAll();
    return tenantId === null ? query : query.where('tenant_id', '=', tenantId);
  }

  private keys(scope: TenantScope, db: Database = this.db) {
    const tenantId = scopedTenant(scope);
    const query = db.selectFrom('api_keys').selectAll();
    return tenantId === null ? query : query.where('tenant_id', '=', tenantId);
  }

  async createUser(user: UserRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('users')
      .values({
        id: user.id,
        tenant_id: user.tenantId,
        email: user.email,
        password_hash: user.passwordHash,
        role: user.role,
        site_ids: user.siteIds === null ? null : JSON.stringify(user.siteIds),
        created_at: user.createdAt,
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  async findUser(scope: TenantScope, id: string): Promise<User | null> {
    const row = await this.users(scope).where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  listUsers(scope: TenantScope): Promise<User[]> {
    return readInScope(this.db, scope, async (db) => {
      return (await this.users(scope, db).orderBy('email').execute()).map(toUser);
    });
  }

  async deleteUser(scope: TenantScope, id: string): Promise<boolean> {
    const tenantId = scopedTenant(scope);
    let query = this.db.deleteFrom('users').where('id', '=', id);
    if (tenantId !== null) query = query.where('tenant_id', '=', tenantId);
    // Sessions go with it (on delete cascade): a removed user's open console stops on its next request.
    return Number((await query.executeTakeFirst()).numDeletedRows) > 0;
  }

  async createSession(session: UserSession, tokenDigest: string): Promise<void> {
    await this.db
      .insertInto('user_sessions')
      .values({ id: session.id, token_digest: tokenDigest, user_id: session.userId, created_at: session.createdAt, expires_at: session.expiresAt, revoked_at: null })
      .execute();
  }

  async findSession(tokenDigest: string): Promise<{ session: UserSession; user: User } | null> {
    const row = await this.db
      .selectFrom('user_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select(['s.id as session_id', 's.created_at as session_created_at', 's.expires_at', 's.revoked_at'])
      .where('s.token_digest', '=', tokenDigest)
      .executeTakeFirst();
    if (!row) return null;
    const session: UserSession = {
      id: row.session_id,
      userId: row.id,
      createdAt: asDate(row.session_created_at) as Date,
      expiresAt: asDate(row.expires_at) as Date,
      revokedAt: asDate(row.revoked_at),
    };
    return { session, user: toUser(row) };
  }

  async revokeSession(id: string, at: Date): Promise<void> {
    await this.db.updateTable('user_sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async createApiKey(key: ApiKey, keyDigest: string): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        key_digest: keyDigest,
        prefix: key.prefix,
        tenant_id: key.tenantId,
        name: key.name,
        scopes: JSON.stringify(key.scopes),
        site_ids: key.siteIds === null ? null : JSON.stringify(key.siteIds),
        created_at: key.createdAt,
        expires_at: key.expiresAt,
        revoked_at: null,
      })
      .execute();
  }

  async findApiKeyByDigest(keyDigest: string): Promise<ApiKey | null> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_digest', '=', keyDigest).executeTakeFirst();
    return row ? toKey(row) : null;
  }

  async findApiKey(scope: TenantScope, id: string): Promise<ApiKey | null> {
    const row = await this.keys(scope).where('id', '=', id).executeTakeFirst();
    return row ? toKey(row) : null;
  }

  listApiKeys(scope: TenantScope): Promise<ApiKey[]> {
    return readInScope(this.db, scope, async (db) => {
      return (await this.keys(scope, db).orderBy('created_at').orderBy('id').execute()).map(toKey);
    });
  }

  async revokeApiKey(scope: TenantScope, id: string, at: Date): Promise<boolean> {
    const tenantId = scopedTenant(scope);
    let update = this.db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null);
    if (tenantId !== null) update = update.where('tenant_id', '=', tenantId);
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
