/** Storage port of the billing capability, named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { Cdr } from './billing-cdr.ts';

/** The tariff a transaction is priced by, chosen once (at its first pricing) and kept. */
export interface PricingPin {
  transactionId: string;
  tenantId: string;
  /** Null: no tariff applied when the session started (it is free, and the CDR says so). */
  tariffId: string | null;
  tariffVersion: number | null;
  assignmentId: number | null;
  tokenGroup: string | null;
  timeZone: string;
  pinnedAt: Date;
}

export interface BillingSettings {
  tenantId: string;
  /** Null: the tenant's own settings (what its sites inherit). */
  siteId: string | null;
  timeZone: string | null;
  updatedAt: Date;
}

export interface CdrFilter {
  scope: TenantScope;
  stationId?: string;
  transactionId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export interface BillingRepository {
  pin(transactionId: string): Promise<PricingPin | null>;
  /** Keeps the first pin of a transaction: returns the stored one (this one, or an earlier node's). */
  savePin(pin: PricingPin): Promise<PricingPin>;
  cdrsOf(transactionId: string): Promise<Cdr[]>;
  /** Adds records atomically; false (nothing written) when another writer numbered one of them first. */
  addCdrs(cdrs: readonly Cdr[]): Promise<boolean>;
  listCdrs(filter: CdrFilter): Promise<{ items: Cdr[]; total: number }>;
  findCdr(id: string): Promise<Cdr | null>;
  /** The books of the transaction are closed at this version (its records say what it says). */
  markBilled(transactionId: string, version: number): Promise<void>;
  /**
   * Closed transactions whose books are not closed at their current version: never billed, or
   * written since (a late stop or meter value). Stopped at or after `since` when given; at most `limit`.
   */
  unbilled(limit: number, since: Date | null): Promise<string[]>;
  settings(tenantId: string, siteId: string | null): Promise<BillingSettings | null>;
  saveSettings(settings: BillingSettings): Promise<void>;
}
