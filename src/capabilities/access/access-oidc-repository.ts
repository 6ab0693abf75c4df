/** The storage port of OpenID Connect sign-in: each tenant's provider, pending logins, one-time tickets. */
import type { PendingLogin, SsoTicket, TenantOidcSettings } from './access-oidc.ts';

/** What a write of the settings sets; an `undefined` secret keeps the stored one, `null` removes it. */
export type TenantOidcWrite = Omit<TenantOidcSettings, 'clientSecret'> & { clientSecret: string | null | undefined };

export interface OidcRepository {
  findSettings(tenantId: string): Promise<TenantOidcSettings | null>;
  /** Creates or replaces the tenant's settings; the answer is what is stored now. */
  saveSettings(settings: TenantOidcWrite): Promise<TenantOidcSettings>;
  /** False when the tenant had none. */
  deleteSettings(tenantId: string): Promise<boolean>;

  addPendingLogin(login: PendingLogin): Promise<void>;
  /** Finds and deletes in one statement: a state is good for one callback, on whichever node. */
  takePendingLogin(state: string): Promise<PendingLogin | null>;
  deletePendingLoginsBefore(cutoff: Date): Promise<void>;

  addTicket(ticketDigest: string, ticket: SsoTicket): Promise<void>;
  /** Finds and deletes in one statement: a ticket is good for one redemption. */
  takeTicket(ticketDigest: string): Promise<SsoTicket | null>;
  deleteTicketsExpiredAt(now: Date): Promise<void>;
}
