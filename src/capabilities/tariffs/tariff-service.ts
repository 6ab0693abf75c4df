/**
 * Tariffs shell: tariffs arrive OCPI-shaped (2.2.1 or 2.3.0) and are kept in the canonical model,
 * versioned; a station is assigned one. A change is a new version valid from the moment it is made,
 * never an edit: `tariffAt(station, time)` gives the version a session that started then is priced by.
 */
import { randomUUID } from 'node:crypto';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import { scopedSites, scopeSees, type TenantScope } from '../../kernel/tenant-scope.ts';
import { fromOcpi, type TariffModel } from './tariff.ts';
import type { StoredTariff, TariffRepository } from './tariff-repository.ts';
import { chooseAssignment, targetProblem, type PricingContext, type TariffAssignment, type TariffTarget } from './tariff-assignment.ts';

export interface TariffStations {
  owner(stationId: string): Promise<{ tenantId: string; siteId: string | null } | null>;
}

export interface TariffTenants {
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
  /** Makes sure the site is the tenant's (claims an unowned one); not-found otherwise. */
  claimSite(siteId: string, tenantId: string): Promise<void>;
}

/** What an operator assigns: a tariff (or null: remove) to a target. */
export interface AssignmentInput {
  tariffId: string | null;
  siteId?: string | null;
  stationId?: string | null;
  evseId?: number | null;
  connectorId?: number | null;
  tokenGroup?: string | null;
  /** Platform callers: whose tenant-wide assignment (default the caller's). */
  tenantId?: string;
}

/** The tariff version that prices a session, and the assignment that chose it. */
export interface ResolvedTariff {
  tariff: StoredTariff;
  assignment: TariffAssignment;
}

/** An OCPI tariff id is CiString(36); ours follow the same rule. */
const ID = /^[A-Za-z0-9._~:*+|@-]{1,36}$/;

export class TariffService {
  constructor(
    private readonly repo: TariffRepository,
    private readonly stations: TariffStations,
    private readonly tenants: TariffTenants,
    private readonly clock: Clock,
  ) {}

  async create(scope: TenantScope, body: unknown, tenant?: string): Promise<StoredTariff> {
    const tariff = this.read(body);
    const id = tariff.id ?? randomUUID();
    if (!ID.test(id)) throw new CodedError('invalid-input', `/id: at most 36 of A-Z a-z 0-9 . _ ~ : * + | @ -`, { path: '/id' });
    const now = this.clock();
    const stored: StoredTariff = { id, tenantId: await this.tenants.writableTenant(scope, tenant), currency: tariff.currency, version: 1, validFrom: now, tariff: { ...tariff, id }, createdAt: now };
    if (!(await this.repo.create(stored))) throw new CodedError('already-exists', `tariff ${id} already exists`);
    return stored;
  }

  /** A new version from now on; sessions that started before keep the version they started under. */
  async change(id: string, body: unknown): Promise<StoredTariff> {
    const tariff = this.read(body);
    if (tariff.id !== undefined && tariff.id !== id) throw new CodedError('invalid-input', `/id: the body's id ${tariff.id} is not the tariff ${id} being changed`, { path: '/id' });
    const stored = await this.repo.addVersion(id, { ...tariff, id }, this.clock());
    if (!stored) throw new CodedError('not-found', `tariff ${id} does not exist`);
    return stored;
  }

  async get(id: string): Promise<StoredTariff> {
    const stored = await this.repo.find(id);
    if (!stored) throw new CodedError('not-found', `tariff ${id} does not exist`);
    return stored;
  }

  list(scope: TenantScope): Promise<StoredTariff[]> {
    return this.repo.list(scope);
  }

  async versions(id: string): Promise<StoredTariff[]> {
    await this.get(id);
    return this.repo.versions(id);
  }

  async owner(id: string): Promise<{ tenantId: string } | null> {
    const stored = await this.repo.find(id);
    return stored ? { tenantId: stored.tenantId } : null;
  }

  /** Assigns a tariff of the station's own tenant to the whole station (another tenant's is not-found). */
  async assign(stationId: string, tariffId: string): Promise<StoredTariff> {
    const station = await this.stations.owner(stationId);
    if (!station) throw new CodedError('not-found', `station ${stationId} does not exist`);
    await this.assignTo(station.tenantId, { siteId: null, stationId, evseId: null, connectorId: null, tokenGroup: null }, tariffId);
    return this.get(tariffId);
  }

  /**
   * Adds an assignment from now on. The target decides the tenant: a station's, a site's (claimed
   * for the caller's tenant when new), or the caller's own for a tenant-wide one; the tariff must be
   * that tenant's. The caller's right to the station is checked by the route's owner rule or here.
   */
  async addAssignment(scope: TenantScope, input: AssignmentInput): Promise<TariffAssignment> {
    const target: TariffTarget = { siteId: input.siteId ?? null, stationId: input.stationId ?? null, evseId: input.evseId ?? null, connectorId: input.connectorId ?? null, tokenGroup: input.tokenGroup ?? null };
    const problem = targetProblem(target);
    if (problem) throw new CodedError('invalid-input', `${problem.path}: ${problem.problem}`, { path: problem.path });
    let tenantId: string;
    if (target.stationId !== null) {
      const station = await this.stations.owner(target.stationId);
      if (!station || !scopeSees(scope, station)) throw new CodedError('not-found', `station ${target.stationId} does not exist`);
      tenantId = station.tenantId;
    } else {
      tenantId = await this.tenants.writableTenant(scope, input.tenantId);
      if (target.siteId !== null) {
        const sites = scopedSites(scope);
        if (sites && !sites.includes(target.siteId)) throw new CodedError('not-found', `site ${target.siteId} does not exist`);
        await this.tenants.claimSite(target.siteId, tenantId);
      } else if (scopedSites(scope)) {
        throw new CodedError('forbidden', 'a user limited to sites cannot assign a tariff to the whole tenant');
      }
    }
    return this.assignTo(tenantId, target, input.tariffId);
  }

  assignments(scope: TenantScope, filter: { stationId?: string; siteId?: string; limit: number }): Promise<TariffAssignment[]> {
    return this.repo.assignments(scope, filter);
  }

  /**
   * The tariff version that prices a session started at `at` in this context: the most specific
   * assignment in force then (tariff-assignment.ts), and the tariff's version in force then.
   * Null when the session has no tariff (it is then free, and said so).
   */
  async resolve(context: PricingContext & { tenantId: string }, at: Date): Promise<ResolvedTariff | null> {
    const assignment = chooseAssignment(await this.repo.assignmentsFor(context.tenantId, context.stationId, context.siteId, at), context, at);
    if (!assignment?.tariffId) return null;
    const tariff = await this.repo.versionAt(assignment.tariffId, at);
    return tariff ? { tariff, assignment } : null;
  }

  /** One version of a tariff (the one a session was pinned to), or null. */
  versionOf(id: string, version: number): Promise<StoredTariff | null> {
    return this.repo.version(id, version);
  }

  /** The station's tariff for everyone (no token group), in the version in force at `at` (a session's start). */
  async tariffAt(stationId: string, at: Date = this.clock()): Promise<StoredTariff | null> {
    const station = await this.stations.owner(stationId);
    if (!station) throw new CodedError('not-found', `station ${stationId} does not exist`);
    const resolved = await this.resolve({ tenantId: station.tenantId, siteId: station.siteId, stationId, evseId: null, connectorId: null, tokenGroup: null }, at);
    return resolved?.tariff ?? null;
  }

  private async assignTo(tenantId: string, target: TariffTarget, tariffId: string | null): Promise<TariffAssignment> {
    if (tariffId !== null) {
      const tariff = await this.repo.find(tariffId);
      if (!tariff || tariff.tenantId !== tenantId) throw new CodedError('not-found', `tariff ${tariffId} does not exist`);
    }
    return this.repo.assign({ tenantId, ...target, tariffId, validFrom: this.clock() });
  }

  private read(body: unknown): TariffModel {
    const result = fromOcpi(body);
    if (!result.ok) throw new CodedError('invalid-input', `${result.path || '(body)'}: ${result.problem}`, { path: result.path });
    return result.tariff;
  }
}
