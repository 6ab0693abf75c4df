/** The audit trail's storage port: append and read, nothing else (the trail is append-only). */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { AuditEntry, NewAuditEntry } from './audit.ts';

export interface AuditFilter {
  stationId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  /** Only entries older than this id (the next page, newest first). */
  before?: string;
  limit: number;
}

export interface AuditRepository {
  append(entries: readonly NewAuditEntry[]): Promise<void>;
  /** The scope's entries, newest first. A tenant sees its own; every tenant's only for a platform scope. */
  list(scope: TenantScope, filter: AuditFilter): Promise<AuditEntry[]>;
}
