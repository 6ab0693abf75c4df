/** The stations capability as the composition root plugs it in: boot, heartbeat, status, presence, the message log. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { StationService, type StationTenants } from './station-service.ts';
import { SqlStationRepository } from './station-repository-sql.ts';
import { StationMessageLog } from './station-message-log-service.ts';
import { stationHandlers16 } from './station-ocpp16.ts';
import { stationHandlers201 } from './station-ocpp201.ts';
import { stationHandlers21 } from './station-ocpp21.ts';
import { stationRoutes } from './station-http.ts';
import { stationMessageLogRoutes } from './station-message-log-http.ts';

export interface StationModule extends CapabilityModule {
  readonly service: StationService;
  /** Recent OCPP messages per station, in memory, for the console (the OCPP edge taps into it). */
  readonly messageLog: StationMessageLog;
}

export function stationModule({ config, db, cluster, events, clock, log }: Platform, tenants: StationTenants): StationModule {
  const service = new StationService(new SqlStationRepository(db), cluster, events, clock, log, {
    autoRegister: config.autoRegister,
    autoRegisterStatus: config.autoRegisterStatus,
    boot: { heartbeatIntervalSec: config.ocpp.heartbeatIntervalSec, retryIntervalSec: config.ocpp.bootRetryIntervalSec },
    presenceFlushMs: config.ocpp.presenceFlushMs,
    presenceWriteEveryMs: config.ocpp.presenceWriteEverySec * 1000,
  }, tenants);
  const messageLog = new StationMessageLog(config.console.messageLogSize);
  return {
    name: 'stations',
    service,
    messageLog,
    ocpp: [stationHandlers16(service), stationHandlers201(service), stationHandlers21(service)],
    routes: [stationRoutes(service), stationMessageLogRoutes(service, messageLog)],
    owners: { station: (id) => service.owner(id) },
    start: () => service.start(),
    stop: () => service.stop(),
  };
}
