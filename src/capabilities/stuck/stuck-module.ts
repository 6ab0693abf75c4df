/** Stuck-transaction detection and remediation as the composition root plugs it in. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { nullIfNotFound } from '../../capability-module.ts';
import type { StationView } from '../stations/index.ts';
import { StuckService } from './stuck-service.ts';
import type { StuckServiceDeps } from './stuck-ports.ts';
import { SqlStuckRepository } from './stuck-repository-sql.ts';
import type { StationSnapshotSource } from './stuck-station-facts-service.ts';
import { stuckRoutes } from './stuck-http.ts';

export interface StuckModule extends CapabilityModule {
  readonly service: StuckService;
}

/** Reads stations through their REST view (connection, last boot, connector states). */
function snapshotsFrom(stations: { get(id: string): Promise<StationView> }): StationSnapshotSource {
  return {
    snapshot: async (id) => {
      const view = await nullIfNotFound(stations.get(id));
      return (
        view && {
          online: view.connected,
          connectedAt: view.connectedAt,
          disconnectedAt: view.disconnectedAt,
          lastBootAt: view.lastBootAt,
          siteId: view.siteId,
          connectors: view.evses.flatMap((evse) => evse.connectors.map((c) => ({ evseId: evse.id, status: c.status, activity: c.activity, reportedAt: c.reportedAt }))),
        }
      );
    },
  };
}

export function stuckModule(
  { config, db, events, clock, timers, log, node }: Platform,
  stations: { get(id: string): Promise<StationView> },
  transactions: StuckServiceDeps['transactions'],
  commands: StuckServiceDeps['commands'],
): StuckModule {
  const service = new StuckService(
    {
      repo: new SqlStuckRepository(db),
      transactions,
      commands,
      stations: snapshotsFrom(stations),
      events,
      clock,
      timers,
      log,
      lease: node.clustered ? { acquire: (ttlMs) => node.leases.acquire('stuck.sweep', ttlMs) } : undefined,
    },
    { sweepIntervalMs: config.stuck.sweepIntervalSec * 1000, defaults: config.stuck.defaults, sites: config.stuck.sites },
  );
  return {
    name: 'stuck',
    service,
    routes: [stuckRoutes(service)],
    owners: { 'stuck-case': (id) => service.owner(id) },
    start: async () => {
      if (config.stuck.enabled) await service.start();
    },
    // The sweep stops before the stations disconnect: a closing node must not see every session as stuck.
    quiesce: () => service.stop(),
  };
}
