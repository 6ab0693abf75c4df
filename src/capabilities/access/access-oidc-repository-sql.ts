/** The OpenID Connect storage port over Kysely (one SQL for PGlite and PostgreSQL). */
import type { Selectable } from 'kysely';
import type { Database } from '../../storage/database.ts';
import { asDate } from '../../storage/as-date.ts';
import type { OidcPendingLoginsTable, OidcTicketsTable, TenantOidcTable } from '../../storage/tables/oidc-tables.ts';
import type { Role } from '../../kernel/permissions.ts';
import type { PendingLogin, SsoTicket, TenantOidcSettings } from './access-oidc.ts';
import type { OidcRepository, TenantOidcWrite } from './access-oidc-repository.ts';

const toSettings = (row: Selectable<TenantOidcTable>): TenantOidcSettings => ({
  tenantId: row.tenant_id,
  issuer: row.issuer,
  clientId: row.client_id,
  clientSecret: row.client_secret,
  defaultRole: row.default_role as Role | null,
  updatedAt: asDate(row.updated_at) as Date,
});

const toPending = (row: Selectable<OidcPendingLoginsTable>): PendingLogin => ({
  state: row.state,
  tenantId: row.tenant_id,
  nonce: row.nonce,
  codeVerifier: row.code_verifier,
  redirectUri: row.redirect_uri,
  returnTo: row.return_to,
  browserBinding: row.browser_binding,
  createdAt: asDate(row.created_at) as Date,
});

const toTicket = (row: Selectable<OidcTicketsTable>): SsoTicket => ({
  tenantId: row.tenant_id,
  userId: row.user_id,
  browserBinding: row.browser_binding,
  createdAt: asDate(row.created_at) as Date,
  expiresAt: asDate(row.expires_at) as Date,
});

export class SqlOidcRepository implements OidcRepository {
  constructor(private readonly db: Database) {}

  async findSettings(tenantId: string): Promise<TenantOidcSettings | null> {
    const row = await this.db.selectFrom('tenant_oidc').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    return row ? toSettings(row) : null;
  }

  async saveSettings(settings: TenantOidcWrite): Promise<TenantOidcSettings> {
    const changes = {
      issuer: settings.issuer,
      client_id: settings.clientId,
      default_role: settings.defaultRole,
      updated_at: settings.updatedAt,
      ...(settings.clientSecret === undefined ? {} : { client_secret: settings.clientSecret }),
    };
    const row = await this.db
      .insertInto('tenant_oidc')
      .values({ tenant_id: settings.tenantId, client_secret: settings.clientSecret ?? null, ...changes })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(changes))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSettings(row);
  }

  async deleteSettings(tenantId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('tenant_oidc').where('tenant_id', '=', tenantId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async addPendingLogin(login: PendingLogin): Promise<void> {
    await this.db
      .insertInto('oidc_pending_logins')
      .values({
        state: login.state,
        tenant_id: login.tenantId,
        nonce: login.nonce,
        code_verifier: login.codeVerifier,
        redirect_uri: login.redirectUri,
        return_to: login.returnTo,
        browser_binding: login.browserBinding,
        created_at: login.createdAt,
      })
      .execute();
  }

  async takePendingLogin(state: string): Promise<PendingLogin | null> {
    const row = await this.db.deleteFrom('oidc_pending_logins').where('state', '=', state).returningAll().executeTakeFirst();
    return row ? toPending(row) : null;
  }

  async deletePendingLoginsBefore(cutoff: Date): Promise<void> {
    await this.db.deleteFrom('oidc_pending_logins').where('created_at', '<', cutoff).execute();
  }

  async addTicket(ticketDigest: string, ticket: SsoTicket): Promise<void> {
    await this.db
      .insertInto('oidc_tickets')
      .values({
        ticket_digest: ticketDigest,
        tenant_id: ticket.tenantId,
        user_id: ticket.userId,
        browser_binding: ticket.browserBinding,
        created_at: ticket.createdAt,
        expires_at: ticket.expiresAt,
      })
      .execute();
  }

  async takeTicket(ticketDigest: string): Promise<SsoTicket | null> {
    const row = await this.db.deleteFrom('oidc_tickets').where('ticket_digest', '=', ticketDigest).returningAll().executeTakeFirst();
    return row ? toTicket(row) : null;
  }

  async deleteTicketsExpiredAt(now: Date): Promise<void> {
    await this.db.deleteFrom('oidc_tickets').where('expires_at', '<=', now).execute();
  }
}
