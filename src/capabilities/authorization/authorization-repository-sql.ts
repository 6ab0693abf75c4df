/** Kysely adapter of the id-token port. */
import { readInScope } from '../../storage/tenant-reads.ts';
import { sql, type Selectable } from 'kysely';
import type { Database } from '../../storage/database.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { IdTokensTable } from '../../storage/tables/authorization-tables.ts';
import type { IdToken, IdTokenType, TokenStatus } from './authorization.ts';
import type { OfflineSettings } from './authorization-offline.ts';
import type {
  AutochargeRepository,
  AutochargeUseRecord,
  LocalListRepository,
  OfflineSettingsRepository,
  StationListState,
  StationOfflineState,
  TokenRepository,
} from './authorization-repository.ts';

const toToken = (row: Selectable<IdTokensTable>): IdToken => ({
  idToken: row.id_token,
  tenantId: row.tenant_id,
  type: row.type as IdTokenType,
  status: row.status as TokenStatus,
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  groupId: row.group_id,
  inLocalList: row.in_local_list,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

const toRow = (t: IdToken) => ({
  id_token: t.idToken,
  tenant_id: t.tenantId,
  type: t.type,
  status: t.status,
  expires_at: t.expiresAt,
  group_id: t.groupId,
  in_local_list: t.inLocalList,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});

export class SqlTokenRepository implements TokenRepository {
  constructor(private readonly db: Database) {}

  async all(): Promise<IdToken[]> {
    return (await this.db.selectFrom('id_tokens').selectAll().execute()).map(toToken);
  }

  async findMany(idTokens: readonly string[]): Promise<IdToken[]> {
    if (idTokens.length === 0) return [];
    return (await this.db.selectFrom('id_tokens').selectAll().where('id_token', 'in', idTokens).execute()).map(toToken);
  }

  async upsert(token: IdToken): Promise<boolean> {
    const existed = await this.db.selectFrom('id_tokens').select('id_token').where('id_token', '=', token.idToken).executeTakeFirst();
    await this.upsertMany([token]);
    return !existed;
  }

  async upsertMany(tokens: readonly IdToken[]): Promise<void> {
    if (tokens.length === 0) return;
    // One statement may not touch a row twice (ON CONFLICT DO UPDATE refuses it): a token named
    // twice in one import keeps its last line, as if the lines had been written one by one.
    const lastOfEach = [...new Map(tokens.map((token) => [token.idToken, token])).values()];
    await this.db
      .insertInto('id_tokens')
      .values(lastOfEach.map(toRow))
      .onConflict((oc) =>
        oc.column('id_token').doUpdateSet((eb) => ({
          type: eb.ref('excluded.type'),
          status: eb.ref('excluded.status'),
          expires_at: eb.ref('excluded.expires_at'),
          group_id: eb.ref('excluded.group_id'),
          in_local_list: eb.ref('excluded.in_local_list'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  async remove(idToken: string): Promise<boolean> {
    const result = await this.db.deleteFrom('id_tokens').where('id_token', '=', idToken).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

export class SqlAutochargeRepository implements AutochargeRepository {
  constructor(private readonly db: Database) {}

  async sites(): Promise<Array<{ siteId: string; autochargeEnabled: boolean }>> {
    const rows = await this.db.selectFrom('authorization_sites').selectAll().execute();
    return rows.map((row) => ({ siteId: row.site_id, autochargeEnabled: row.autocharge_enabled }));
  }

  async setSite(siteId: string, autochargeEnabled: boolean, now: Date): Promise<void> {
    await this.db
      .insertInto('authorization_sites')
      .values({ site_id: siteId, autocharge_enabled: autochargeEnabled, updated_at: now })
      .onConflict((oc) => oc.column('site_id').doUpdateSet({ autocharge_enabled: autochargeEnabled, updated_at: now }))
      .execute();
  }

  async recordUses(uses: readonly AutochargeUseRecord[]): Promise<void> {
    if (uses.length === 0) return;
    await this.db
      .insertInto('autocharge_uses')
      .values(uses.map((u) => ({ id_token: u.idToken, station_id: u.stationId, tenant_id: u.tenantId, site_id: u.siteId, at: u.at, accepted: u.accepted, suspicion: u.suspicion })))
      .execute();
  }

  uses(scope: TenantScope, filter: { idToken?: string; suspiciousOnly?: boolean; limit: number }): Promise<AutochargeUseRecord[]> {
    return readInScope(this.db, scope, async (db) => {
      let query = db.selectFrom('autocharge_uses').selectAll();
      query = query.where(inScope({ station: 'autocharge_uses.station_id', tenant: 'autocharge_uses.tenant_id' }, scope));
      if (filter.idToken) query = query.where('id_token', '=', filter.idToken);
      if (filter.suspiciousOnly) query = query.where('suspicion', 'is not', null);
      const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map((row) => ({
        idToken: row.id_token,
        stationId: row.station_id,
        tenantId: row.tenant_id,
        siteId: row.site_id,
        at: new Date(row.at),
        accepted: row.accepted,
        suspicion: row.suspicion,
      }));
    });
  }
}

/** Advisory lock key serialising local-list appends across nodes (any constant unique to this use). */
const LOCAL_LIST_APPEND_LOCK = 0x4c4c_4150; // "LLAP"

export class SqlLocalListRepository implements LocalListRepository {
  constructor(private readonly db: Database) {}

  async appendChanges(changes: ReadonlyArray<{ idToken: string; tenantId: string; removed: boolean }>, at: Date): Promise<number> {
    if (changes.length > 0) {
      // Versions are the rows' serial numbers and readers take the highest committed one, so two
      // nodes appending at once must commit in number order: a reader that saw version n+1 before
      // n committed would skip n's changes in every later differential update. One append at a time.
      const append = async (trx: Database) => {
        await sql`select pg_advisory_xact_lock(${LOCAL_LIST_APPEND_LOCK})`.execute(trx);
        await trx
          .insertInto('local_list_changes')
          .values(changes.map((c) => ({ id_token: c.idToken, tenant_id: c.tenantId, removed: c.removed, at })))
          .execute();
      };
      // Inside a caller's transaction the lock is held until that one commits.
      await (this.db.isTransaction ? append(this.db) : this.db.transaction().execute(append));
    }
    return this.currentVersion();
  }

  async currentVersion(tenantId?: string): Promise<number> {
    let query = this.db.selectFrom('local_list_changes').select((eb) => eb.fn.max('version').as('version'));
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    const row = await query.executeTakeFirst();
    return Number(row?.version ?? 0);
  }

  async currentVersions(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('local_list_changes')
      .select(['tenant_id', (eb) => eb.fn.max('version').as('version')])
      .groupBy('tenant_id')
      .execute();
    return new Map(rows.map((row) => [row.tenant_id, Number(row.version)]));
  }

  async changesSince(version: number, tenantId?: string): Promise<Array<{ idToken: string; removed: boolean }>> {
    let query = this.db.selectFrom('local_list_changes').select(['id_token', 'removed', 'version']);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    const rows = await query
      .where('version', '>', String(version))
      .orderBy('version')
      .execute();
    const latest = new Map<string, boolean>();
    for (const row of rows) latest.set(row.id_token, row.removed);
    return [...latest].map(([idToken, removed]) => ({ idToken, removed }));
  }

  async stationState(stationId: string): Promise<StationListState | null> {
    const row = await this.db.selectFrom('station_local_lists').selectAll().where('station_id', '=', stationId).executeTakeFirst();
    return row
      ? { version: row.version === null ? null : Number(row.version), status: row.status, detail: row.detail, syncedAt: new Date(row.synced_at) }
      : null;
  }

  async saveStationState(stationId: string, state: StationListState): Promise<void> {
    const values = { version: state.version, status: state.status, detail: state.detail, synced_at: state.syncedAt };
    await this.db
      .insertInto('station_local_lists')
      .values({ station_id: stationId, ...values })
      .onConflict((oc) => oc.column('station_id').doUpdateSet(values))
      .execute();
  }
}

export class SqlOfflineSettingsRepository implements OfflineSettingsRepository {
  constructor(private readonly db: Database) {}

  async scopes(): Promise<Array<{ scope: 'site' | 'station'; scopeId: string }>> {
    const rows = await this.db.selectFrom('offline_authorization_settings').select(['scope', 'scope_id']).execute();
    return rows.map((row) => ({ scope: row.scope as 'site' | 'station', scopeId: row.scope_id }));
  }

  async settings(scope: 'site' | 'station', scopeId: string): Promise<OfflineSettings | null> {
    const row = await this.db.selectFrom('offline_authorization_settings').select('settings').where('scope', '=', scope).where('scope_id', '=', scopeId).executeTakeFirst();
    return row ? (row.settings as OfflineSettings) : null;
  }

  async saveSettings(scope: 'site' | 'station', scopeId: string, settings: OfflineSettings, now: Date): Promise<void> {
    const values = { settings: JSON.stringify(settings), updated_at: now };
    await this.db
      .insertInto('offline_authorization_settings')
      .values({ scope, scope_id: scopeId, ...values })
      .onConflict((oc) => oc.columns(['scope', 'scope_id']).doUpdateSet(values))
      .execute();
  }

  async removeSettings(scope: 'site' | 'station', scopeId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('offline_authorization_settings').where('scope', '=', scope).where('scope_id', '=', scopeId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async stationState(stationId: string): Promise<StationOfflineState> {
    const row = await this.db.selectFrom('station_offline_authorization').select(['applied', 'pending', 'refused']).where('station_id', '=', stationId).executeTakeFirst();
    return row ? { applied: row.applied, pending: row.pending, refused: row.refused } : { applied: {}, pending: {}, refused: {} };
  }

  async saveStationState(stationId: string, state: StationOfflineState, now: Date): Promise<void> {
    const values = { applied: JSON.stringify(state.applied), pending: JSON.stringify(state.pending), refused: JSON.stringify(state.refused), updated_at: now };
    await this.db
      .insertInto('station_offline_authorization')
      .values({ station_id: stationId, ...values })
      .onConflict((oc) => oc.column('station_id').doUpdateSet(values))
      .execute();
  }
}
