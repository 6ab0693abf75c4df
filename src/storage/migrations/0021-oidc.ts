import { sql, type Kysely } from 'kysely';

/**
 * Issue 13: OpenID Connect sign-in for the console (ADR 21). Per tenant, the identity provider the
 * console signs in with; the logins on their way through the provider (state, nonce and PKCE
 * verifier, so the callback may reach any node of a cluster); and the one-time tickets the console
 * trades for a session (stored as SHA-256 digests, like session tokens).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenant_oidc')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text')
    .addColumn('default_role', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oidc_pending_logins')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('browser_binding', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index oidc_pending_logins_created_idx on oidc_pending_logins (created_at)`.execute(db);
  await db.schema
    .createTable('oidc_tickets')
    .addColumn('ticket_digest', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('browser_binding', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index oidc_tickets_expires_idx on oidc_tickets (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oidc_tickets').ifExists().execute();
  await db.schema.dropTable('oidc_pending_logins').ifExists().execute();
  await db.schema.dropTable('tenant_oidc').ifExists().execute();
}
