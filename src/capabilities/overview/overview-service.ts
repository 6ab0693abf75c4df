/** Overview shell: read the counts, add what only memory knows (who is online), decide. */
import type { Clock } from '../../kernel/time.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { buildOverview, startOfDayUtc, type Overview } from './overview.ts';
import type { OverviewRepository } from './overview-repository.ts';

export class OverviewService {
  constructor(
    private readonly repo: OverviewRepository,
    /** The stations connected now (the cluster knows; the database only has last-seen times). */
    private readonly onlineIds: () => readonly string[],
    private readonly clock: Clock,
    /** Pending status writes are flushed first, so the counts are never behind an acknowledged report. */
    private readonly flush: () => Promise<void> = async () => {},
  ) {}

  async overview(scope: TenantScope): Promise<Overview> {
    await this.flush();
    const now = this.clock();
    const online = this.onlineIds();
    const onlineInScope = 'all' in scope ? online.length : await this.repo.countInScope(scope, online);
    return buildOverview(await this.repo.counts(scope, startOfDayUtc(now)), onlineInScope, now);
  }
}
