/** The station-events capability as the composition root plugs it in: what stations report outside transactions, and their faults. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandService } from '../commands/index.ts';
import { nullIfNotFound } from '../../capability-module.ts';
import { StationEventService } from './station-event-service.ts';
import { SqlStationEventsRepository } from './station-event-repository-sql.ts';
import { stationEventHandlers16 } from './station-event-ocpp16.ts';
import { stationEventHandlers201 } from './station-event-ocpp201.ts';
import { stationEventHandlers21 } from './station-event-ocpp21.ts';
import { stationEventRoutes } from './station-event-http.ts';

export interface StationEventsDeps {
  stations: StationService;
  commands: CommandService;
}

export interface StationEventsModule extends CapabilityModule {
  readonly service: StationEventService;
}

export function stationEventsModule({ db, events, log }: Platform, deps: StationEventsDeps): StationEventsModule {
  const service = new StationEventService(new SqlStationEventsRepository(db), events, { exists: async (id) => (await nullIfNotFound(deps.stations.get(id))) !== null }, log);
  return {
    name: 'station-events',
    service,
    ocpp: [stationEventHandlers16(service), stationEventHandlers201(service), stationEventHandlers21(service)],
    routes: [stationEventRoutes(service)],
  };
}
