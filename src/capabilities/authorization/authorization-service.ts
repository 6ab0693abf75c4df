/**
 * Authorization shell. Every id token lives in memory (a Map keyed by the
 * token value), loaded at start and updated on every write, so an Authorize
 * is decided without touching the database. The database is the record.
 */
import { CodedError } from '../../kernel/errors.ts';
import { scopeSees, type TenantScope } from '../../kernel/tenant-scope.ts';
import type { Clock } from '../../kernel/time.ts';
import { decide, type AuthorizationDecision, type Decision, type IdToken, type IdTokenType, type TokenInput, type TokenStatus } from './authorization.ts';
import { isAutochargeToken } from './authorization-autocharge.ts';
import type { AutochargeGuard } from './authorization-autocharge-service.ts';
import type { TokenRepository } from './authorization-repository.ts';


const IMPORT_CHUNK = 1000;

/** Where a token is presented: the station (and its tenant, whose tokens alone count there). */
export interface TokenUse {
  stationId: string;
  tenantId: string;
  type?: string | null;
}

/** A local-list token added, changed or removed, and whose list it belongs to. */
export interface LocalListChange {
  idToken: string;
  tenantId: string;
  removed: boolean;
}

export class AuthorizationService {
  private readonly index = new Map<string, IdToken>();
  private readonly listeners = new Set<(changes: LocalListChange[]) => Promise<void> | void>();
  private readonly writeListeners = new Set<(idTokens: string[] | null) => void>();

  constructor(
    private readonly repo: TokenRepository,
    private readonly clock: Clock,
    readonly autocharge: AutochargeGuard,
    /** Which tenants exist, and the one a caller that sees every tenant writes into when it names none. */
    private readonly tenants: { readonly defaultTenantId: string; writableTenant(scope: TenantScope, named?: string): Promise<string> },
  ) {}

  async start(): Promise<void> {
    for (const token of await this.repo.all()) this.index.set(token.idToken, token);
    await this.autocharge.start();
  }

  stop(): Promise<void> {
    return this.autocharge.stop();
  }

  /**
   * Sub-millisecond: Map lookups and comparisons. An Autocharge identifier
   * is refused (NotAllowedTypeEVSE) where its site has not enabled Autocharge,
   * and every Autocharge use is logged and judged for spoofing.
   */
  authorize(idToken: string, at: Date, where?: TokenUse): Decision {
    const token = this.ownToken(idToken, where?.tenantId);
    const decision = decide(token, token?.groupId ? this.ownToken(token.groupId, token.tenantId) : undefined, at);
    if (!where || !isAutochargeToken(idToken, where.type ?? token?.type)) return decision;
    const allowed = this.autocharge.allowedAt(where.stationId);
    const result: Decision = allowed ? decision : { ...decision, status: 'NotAllowedTypeEVSE' };
    this.autocharge.recordUse(idToken, where, at, result.status === 'Accepted');
    return result;
  }

  statusOf(idToken: string, at: Date, where?: TokenUse): AuthorizationDecision {
    return this.authorize(idToken, at, where).status;
  }

  /** A token of this tenant (any tenant when none is named); another tenant's is as unknown as a missing one. */
  private ownToken(idToken: string, tenantId: string | undefined): IdToken | undefined {
    const token = this.index.get(idToken);
    return token && (tenantId === undefined || token.tenantId === tenantId) ? token : undefined;
  }

  private build(input: TokenInput, existing: IdToken | undefined, now: Date): IdToken {
    const expiresAt = input.expiresAt === undefined ? (existing?.expiresAt ?? null) : input.expiresAt === null ? null : new Date(input.expiresAt);
    if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new CodedError('invalid-input', `expiresAt of ${input.idToken} is not a date`);
    return {
      idToken: input.idToken,
      tenantId: existing?.tenantId ?? input.tenantId ?? this.tenants.defaultTenantId,
      type: input.type ?? existing?.type ?? 'ISO14443',
      status: input.status ?? existing?.status ?? 'Accepted',
      expiresAt,
      groupId: input.groupId === undefined ? (existing?.groupId ?? null) : input.groupId,
      inLocalList: input.inLocalList ?? existing?.inLocalList ?? false,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  }

  /** Called with the local-list tokens a write added, changed or removed (the local list capability listens). */
  onLocalListChange(listener: (changes: LocalListChange[]) => Promise<void> | void): void {
    this.listeners.add(listener);
  }

  /**
   * Called after every write with the tokens written (null: too many to name),
   * once the local-list listeners are done; a cluster tells the other nodes.
   */
  onTokensWritten(listener: (idTokens: string[] | null) => void): void {
    this.writeListeners.add(listener);
  }

  private written(idTokens: readonly string[]): void {
    const named = idTokens.length > IMPORT_CHUNK ? null : [...idTokens];
    for (const listener of this.writeListeners) listener(named);
  }

  /** Another node wrote these tokens (null: maybe any): reload them from the database into the index. */
  async refresh(idTokens: readonly string[] | null): Promise<void> {
    if (idTokens === null) {
      const all = await this.repo.all();
      this.index.clear();
      for (const token of all) this.index.set(token.idToken, token);
      return;
    }
    const found = new Map((await this.repo.findMany(idTokens)).map((t) => [t.idToken, t]));
    for (const idToken of idTokens) {
      const token = found.get(idToken);
      if (token) this.index.set(idToken, token);
      else this.index.delete(idToken);
    }
  }

  /** A token of the tenant on the local list, or undefined. */
  localListToken(idToken: string, tenantId: string): IdToken | undefined {
    const token = this.ownToken(idToken, tenantId);
    return token?.inLocalList ? token : undefined;
  }

  /** The tenant's tokens on the local list, as they should be sent now (a station gets its tenant's only). */
  localListTokens(tenantId: string): IdToken[] {
    return [...this.index.values()].filter((t) => t.inLocalList && t.tenantId === tenantId);
  }

  private async localListChanged(before: ReadonlyArray<IdToken | undefined>, after: ReadonlyArray<IdToken | undefined>): Promise<void> {
    const changes: LocalListChange[] = [];
    before.forEach((old, i) => {
      const next = after[i];
      const token = next ?? old;
      if (!token || !(old?.inLocalList || next?.inLocalList)) return;
      changes.push({ idToken: token.idToken, tenantId: token.tenantId, removed: !next?.inLocalList });
    });
    // A listed member's entry carries its group's verdict (a token whose group is blocked is
    // blocked), so a change to a group changes the entries of its listed members too.
    const listed = new Set(changes.map((c) => c.idToken));
    const groups = new Set<string>();
    before.forEach((old, i) => {
      const next = after[i];
      const idToken = (next ?? old)?.idToken;
      if (idToken && (!old || !next || old.status !== next.status || old.expiresAt?.getTime() !== next.expiresAt?.getTime())) groups.add(idToken);
    });
    if (groups.size > 0) {
      for (const token of this.index.values()) {
        if (token.inLocalList && token.groupId && groups.has(token.groupId) && !listed.has(token.idToken)) changes.push({ idToken: token.idToken, tenantId: token.tenantId, removed: false });
      }
    }
    if (changes.length === 0) return;
    for (const listener of this.listeners) await listener(changes);
  }

  /**
   * Token values are global (one card is one row), so a value another tenant holds is refused as
   * taken, without saying whose it is.
   */
  async create(scope: TenantScope, input: TokenInput): Promise<IdToken> {
    if (this.index.has(input.idToken)) throw new CodedError('already-exists', `token ${input.idToken} already exists`);
    const token = this.build({ ...input, tenantId: await this.tenants.writableTenant(scope, input.tenantId) }, undefined, this.clock());
    await this.repo.upsert(token);
    this.index.set(token.idToken, token);
    await this.localListChanged([undefined], [token]);
    this.written([token.idToken]);
    return token;
  }

  async update(scope: TenantScope, idToken: string, changes: Omit<TokenInput, 'idToken' | 'tenantId'>): Promise<IdToken> {
    const existing = this.index.get(idToken);
    if (!existing || !scopeSees(scope, existing)) throw new CodedError('not-found', `token ${idToken} does not exist`);
    const token = this.build({ ...changes, idToken }, existing, this.clock());
    await this.repo.upsert(token);
    this.index.set(idToken, token);
    await this.localListChanged([existing], [token]);
    this.written([idToken]);
    return token;
  }

  /** Creates or replaces many tokens (import); all are validated before anything is written. */
  async importMany(scope: TenantScope, inputs: readonly TokenInput[]): Promise<{ created: number; updated: number }> {
    const now = this.clock();
    const tenantId = await this.tenants.writableTenant(scope);
    // A line may not take over another tenant's token: the whole import is refused, as a bad line would be.
    const foreign = inputs.find((input) => {
      const existing = this.index.get(input.idToken);
      return existing !== undefined && existing.tenantId !== tenantId;
    });
    if (foreign) throw new CodedError('already-exists', `token ${foreign.idToken} already exists`);
    // Every line is validated; a token named on several lines keeps its last one (as if written one by one).
    const built = inputs.map((input) => this.build({ ...input, tenantId }, this.index.get(input.idToken), now));
    const tokens = [...new Map(built.map((token) => [token.idToken, token])).values()];
    const created = tokens.filter((t) => !this.index.has(t.idToken)).length;
    const before = tokens.map((t) => this.index.get(t.idToken));
    for (let i = 0; i < tokens.length; i += IMPORT_CHUNK) await this.repo.upsertMany(tokens.slice(i, i + IMPORT_CHUNK));
    for (const token of tokens) this.index.set(token.idToken, token);
    await this.localListChanged(before, tokens);
    this.written(tokens.map((t) => t.idToken));
    return { created, updated: tokens.length - created };
  }

  async remove(scope: TenantScope, idToken: string): Promise<void> {
    const visible = this.index.get(idToken);
    if (visible && !scopeSees(scope, visible)) throw new CodedError('not-found', `token ${idToken} does not exist`);
    if (!(await this.repo.remove(idToken))) throw new CodedError('not-found', `token ${idToken} does not exist`);
    const existing = this.index.get(idToken);
    this.index.delete(idToken);
    await this.localListChanged([existing], [undefined]);
    this.written([idToken]);
  }

  get(scope: TenantScope, idToken: string): IdToken {
    const token = this.index.get(idToken);
    if (!token || !scopeSees(scope, token)) throw new CodedError('not-found', `token ${idToken} does not exist`);
    return token;
  }

  /** Who owns a token; null when there is none. */
  owner(idToken: string): { tenantId: string } | null {
    const token = this.index.get(idToken);
    return token ? { tenantId: token.tenantId } : null;
  }

  list(scope: TenantScope, filter: { status?: TokenStatus; search?: string; groupId?: string; limit: number; offset: number }): { items: IdToken[]; total: number } {
    const matches = [...this.index.values()]
      .filter((t) => scopeSees(scope, t) && (!filter.status || t.status === filter.status) && (!filter.groupId || t.groupId === filter.groupId) && (!filter.search || t.idToken.includes(filter.search)))
      .sort((a, b) => (a.idToken < b.idToken ? -1 : a.idToken > b.idToken ? 1 : 0));
    return { items: matches.slice(filter.offset, filter.offset + filter.limit), total: matches.length };
  }

}
