/**
 * The scoped-query predicate (ADR 20), built in one place so every capability scopes the same way.
 * A row is in a scope when its tenant is the scope's (its own `tenant_id` column, or, for rows that
 * are deleted with their station, its station's tenant) and, for a scope limited to sites, its
 * station is in one of them.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { scopedSites, scopedTenant, type TenantScope } from '../kernel/tenant-scope.ts';

export interface OwnedColumns {
  /** The row's station column (`table.column`). */
  station: string;
  /** The row's own tenant column; absent: the row takes its station's tenant. */
  tenant?: string;
  /** For a row deleted with its transaction (a stuck case): its transaction column, whose tenant it takes. */
  transaction?: string;
}

/** `where(inScope(...))`: true for every row when the scope sees every tenant. */
export function inScope(columns: OwnedColumns, scope: TenantScope): Expression<SqlBool> {
  const tenantId = scopedTenant(scope);
  if (tenantId === null) return sql<SqlBool>`true`;
  const sites = scopedSites(scope);
  const parts = [];
  if (columns.tenant) parts.push(sql`${sql.ref(columns.tenant)} = ${tenantId}`);
  else if (columns.transaction) parts.push(sql`${sql.ref(columns.transaction)} in (select id from transactions where tenant_id = ${tenantId})`);
  if (!(columns.tenant || columns.transaction) || sites) {
    const inSites = sites ? (sites.length === 0 ? sql` and false` : sql` and site_id in (${sql.join(sites)})`) : sql``;
    parts.push(sql`${sql.ref(columns.station)} in (select id from stations where tenant_id = ${tenantId}${inSites})`);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}
