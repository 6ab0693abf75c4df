/** Overview shell: read the counts, add what only memory knows (who is online), decide. */
import type { Clock } from '../../kernel/time.ts';
import { buildOverview, startOfDayUtc, type Overview } from './overview.ts';
import type { OverviewRepository } from './overview-repository.ts';

export class OverviewService {
  constructor(
    private readonly repo: OverviewRepository,
    /** Number of stations connected now (the cluster knows; the database only has last-seen times). */
    private readonly onlineCount: () => number,
    private readonly clock: Clock,
    /** Pending status writes are flushed first, so the counts are never behind an acknowledged report. */
    private readonly flush: () => Promise<void> = async () => {},
  ) {}

  async overview(): Promise<Overview> {
    await this.flush();
    const now = this.clock();
    return buildOverview(await this.repo.counts(startOfDayUtc(now)), this.onlineCount(), now);
  }
}
