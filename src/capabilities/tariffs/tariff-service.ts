/**
 * Tariffs shell: tariffs arrive OCPI-shaped (2.2.1 or 2.3.0) and are kept in the canonical model,
 * versioned; a station is assigned one. A change is a new version valid from the moment it is made,
 * never an edit: `tariffAt(station, time)` gives the version a session that started then is priced by.
 */
import { randomUUID } from 'node:crypto';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { fromOcpi, type TariffModel } from './tariff.ts';
import type { StoredTariff, TariffRepository } from './tariff-repository.ts';

export interface TariffStations {
  owner(stationId: string): Promise<{ tenantId: string } | null>;
}

export interface TariffTenants {
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
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

  /** Assigns a tariff of the station's own tenant (another tenant's is not-found). */
  async assign(stationId: string, tariffId: string): Promise<StoredTariff> {
    const station = await this.stations.owner(stationId);
    if (!station) throw new CodedError('not-found', `station ${stationId} does not exist`);
    const tariff = await this.repo.find(tariffId);
    if (!tariff || tariff.tenantId !== station.tenantId) throw new CodedError('not-found', `tariff ${tariffId} does not exist`);
    await this.repo.assign(stationId, station.tenantId, tariffId, this.clock());
    return tariff;
  }

  /** The station's tariff in the version in force at `at` (a session's start), or null when it had none then. */
  async tariffAt(stationId: string, at: Date = this.clock()): Promise<StoredTariff | null> {
    const assignment = await this.repo.assignment(stationId);
    return assignment ? this.repo.versionAt(assignment.tariffId, at) : null;
  }

  private read(body: unknown): TariffModel {
    const result = fromOcpi(body);
    if (!result.ok) throw new CodedError('invalid-input', `${result.path || '(body)'}: ${result.problem}`, { path: result.path });
    return result.tariff;
  }
}
