/**
 * Autocharge shell: which sites allow it (in memory, stored), and the use log.
 * Each use is judged against the identifier's previous use in memory, so the
 * check costs no query; uses are written in batches.
 */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { Logger } from 'pino';
import { BatchQueue } from '../../storage/batch-queue.ts';
import type { Clock } from '../../kernel/time.ts';
import { judgeAutochargeUse, type AutochargePolicy, type AutochargeSuspicion, type AutochargeUse } from './authorization-autocharge.ts';
import type { AutochargeRepository, AutochargeUseRecord } from './authorization-repository.ts';

export class AutochargeGuard {
  private readonly enabledSites = new Set<string>();
  private readonly lastUse = new Map<string, AutochargeUse>();
  private readonly writer: BatchQueue<AutochargeUseRecord>;
  private readonly siteListeners = new Set<(siteId: string, enabled: boolean) => void>();

  constructor(
    private readonly repo: AutochargeRepository,
    private readonly policy: AutochargePolicy,
    private readonly siteOf: (stationId: string) => string | null | undefined,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.writer = new BatchQueue((uses) => repo.recordUses(uses));
  }

  async start(): Promise<void> {
    for (const site of await this.repo.sites()) if (site.autochargeEnabled) this.enabledSites.add(site.siteId);
  }

  async stop(): Promise<void> {
    await this.writer.drain();
  }

  siteEnabled(siteId: string): boolean {
    return this.enabledSites.has(siteId);
  }

  async setSite(siteId: string, enabled: boolean): Promise<void> {
    await this.repo.setSite(siteId, enabled, this.clock());
    this.applySite(siteId, enabled);
    for (const listener of this.siteListeners) listener(siteId, enabled);
  }

  /** Called after a site's switch was stored here (a cluster tells the other nodes). */
  onSiteChange(listener: (siteId: string, enabled: boolean) => void): void {
    this.siteListeners.add(listener);
  }

  /** The switch as stored by another node. */
  applySite(siteId: string, enabled: boolean): void {
    if (enabled) this.enabledSites.add(siteId);
    else this.enabledSites.delete(siteId);
  }

  /** Whether this station's site accepts Autocharge (a station on no site never does). */
  allowedAt(stationId: string): boolean {
    const site = this.siteOf(stationId);
    return typeof site === 'string' && this.enabledSites.has(site);
  }

  /** Records one use and returns its suspicion, if any. */
  recordUse(idToken: string, where: { stationId: string; tenantId: string }, at: Date, accepted: boolean): AutochargeSuspicion | null {
    const { stationId, tenantId } = where;
    const use: AutochargeUse = { idToken, stationId, siteId: this.siteOf(stationId) ?? null, at };
    // Per tenant: the same vehicle charging on two operators' networks is not a spoofing sign.
    const key = `${tenantId}\u0000${idToken}`;
    const suspicion = judgeAutochargeUse(this.lastUse.get(key), use, this.policy);
    this.lastUse.set(key, use);
    if (suspicion) this.log.warn({ stationId, suspicion }, 'suspicious Autocharge use');
    this.writer.add({ ...use, tenantId, accepted, suspicion }).catch((error: unknown) => this.log.error({ err: error, stationId }, 'Autocharge use not recorded'));
    return suspicion;
  }

  async uses(scope: TenantScope, filter: { idToken?: string; suspiciousOnly?: boolean; limit: number }): Promise<AutochargeUseRecord[]> {
    await this.writer.drain();
    return this.repo.uses(scope, filter);
  }
}
