/** The audit trail as the composition root plugs it in: the route, the HTTP edge's recorder, and command outcomes. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { AuditService, type RecordedCall } from './audit-service.ts';
import { SqlAuditRepository } from './audit-repository-sql.ts';
import { auditRoutes } from './audit-http.ts';

export interface AuditModule extends CapabilityModule {
  readonly service: AuditService;
}

/** What the audit needs of the stations capability: a station's tenant, for command outcomes. */
export interface AuditStations {
  owner(stationId: string): Promise<{ tenantId: string } | null>;
}

export function auditModule({ db, events, clock, log }: Platform, stations: AuditStations): AuditModule {
  const service = new AuditService(new SqlAuditRepository(db), clock, log);
  let unsubscribe: (() => void) | null = null;
  return {
    name: 'audit',
    service,
    routes: [auditRoutes(service)],
    start() {
      // Local: the node that finished the command records it, once.
      unsubscribe = events.subscribe(
        (event) => {
          if (event.type !== 'command.finished') return;
          void stations
            .owner(event.stationId)
            .catch(() => null)
            .then((owner) =>
              service.recordCommand({
                stationId: event.stationId,
                tenantId: owner?.tenantId ?? null,
                commandId: event.commandId,
                commandType: event.commandType,
                state: event.state,
                error: event.error,
                at: new Date(event.at),
              }),
            );
        },
        { scope: 'local', types: ['command.finished'] },
      );
    },
    async stop() {
      unsubscribe?.();
      await service.drain();
    },
  };
}

export type { RecordedCall };
