/** Tenants: create, read, list (issue 13's first part; users, roles and scoping follow, ADR 20). */
import type { Clock } from '../../kernel/time.ts';
import { CodedError } from '../../kernel/errors.ts';
import type { Tenant } from './tenant.ts';
import type { TenantRepository } from './tenant-repository.ts';

export class TenantService {
  constructor(
    private readonly repo: TenantRepository,
    private readonly clock: Clock,
  ) {}

  async create(input: { id: string; name: string }): Promise<Tenant> {
    const tenant: Tenant = { id: input.id, name: input.name, createdAt: this.clock() };
    if (!(await this.repo.create(tenant))) throw new CodedError('already-exists', `tenant ${input.id} already exists`);
    return tenant;
  }

  async get(id: string): Promise<Tenant> {
    const tenant = await this.repo.find(id);
    if (!tenant) throw new CodedError('not-found', `tenant ${id} does not exist`);
    return tenant;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.repo.find(id)) !== null;
  }

  list(): Promise<Tenant[]> {
    return this.repo.list();
  }
}
