/** The audit trail over Kysely: inserts and selects only. */
import { readInScope } from '../../storage/tenant-reads.ts';
import type { Selectable } from 'kysely';
import type { Database } from '../../storage/database.ts';
import { asDate } from '../../storage/as-date.ts';
import type { AuditLogTable } from '../../storage/tables/access-tables.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { AuditActorKind, AuditEntry, NewAuditEntry } from './audit.ts';
import type { AuditFilter, AuditRepository } from './audit-repository.ts';

const toEntry = (row: Selectable<AuditLogTable>): AuditEntry => ({
  id: String(row.id),
  at: asDate(row.at) as Date,
  tenantId: row.tenant_id,
  actor: { kind: row.actor_kind as AuditActorKind, id: row.actor_id, label: row.actor_label },
  action: row.action,
  path: row.path,
  stationId: row.station_id,
  requestId: row.request_id,
  outcome: { status: row.status, code: row.code },
  detail: row.detail,
});

export class SqlAuditRepository implements AuditRepository {
  constructor(private readonly db: Database) {}

  async append(entries: readonly NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insertInto('audit_log')
      .values(
        entries.map((e) => ({
          at: e.at,
          tenant_id: e.tenantId,
          actor_kind: e.actor.kind,
          actor_id: e.actor.id,
          actor_label: e.actor.label,
          action: e.action,
          path: e.path,
          station_id: e.stationId,
          request_id: e.requestId,
          status: e.outcome.status,
          code: e.outcome.code,
          detail: e.detail === null ? null : JSON.stringify(e.detail),
        })),
      )
      .execute();
  }

  list(scope: TenantScope, filter: AuditFilter): Promise<AuditEntry[]> {
    return readInScope(this.db, scope, async (db) => {
      let query = db.selectFrom('audit_log').selectAll();
      // A tenant's entries; for a caller limited to sites, only those about its sites' stations.
      query = query.where(inScope({ tenant: 'audit_log.tenant_id', station: 'audit_log.station_id' }, scope));
      if (filter.stationId) query = query.where('station_id', '=', filter.stationId);
      if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
      if (filter.from) query = query.where('at', '>=', filter.from);
      if (filter.to) query = query.where('at', '<', filter.to);
      if (filter.before) query = query.where('id', '<', filter.before);
      return (await query.orderBy('id', 'desc').limit(filter.limit).execute()).map(toEntry);
    });
  }
}
