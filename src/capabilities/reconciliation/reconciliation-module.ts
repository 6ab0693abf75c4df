/** The reconciliation capability as the composition root plugs it in (issue 15): the three-way check of the money. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { SqlReconciliationRepository } from './reconciliation-repository-sql.ts';
import { ReconciliationService, type ReconciliationGateway } from './reconciliation-service.ts';
import { DailyReconciliation } from './reconciliation-daily-service.ts';
import { reconciliationRoutes } from './reconciliation-http.ts';

export interface ReconciliationModule extends CapabilityModule {
  readonly service: ReconciliationService;
  readonly daily: DailyReconciliation | null;
}

export function reconciliationModule({ db, clock, timers, log, config, node }: Platform, deps: { gateway: ReconciliationGateway | null }): ReconciliationModule {
  const settings = config.reconciliation;
  const service = new ReconciliationService({ repo: new SqlReconciliationRepository(db), gateway: deps.gateway, clock, log, holdOverdueMs: settings.holdOverdueHours * 3600_000 });
  const daily = settings.daily
    ? new DailyReconciliation({
        reconciliation: service,
        clock,
        timers,
        log,
        atHour: settings.dailyAtHour,
        lease: node.clustered ? { acquire: (ttlMs) => node.leases.acquire('reconciliation.daily', ttlMs) } : undefined,
      })
    : null;
  return {
    name: 'reconciliation',
    service,
    daily,
    routes: [reconciliationRoutes(service, clock)],
    start: () => daily?.start(),
    stop: () => daily?.stop(),
  };
}
