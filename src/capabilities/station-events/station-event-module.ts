/** The station-events capability as the composition root plugs it in: what stations report outside transactions, and their faults. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { ConnectorActivity, ConnectorStatus, StationService } from '../stations/index.ts';
import type { CommandService } from '../commands/index.ts';
import { nullIfNotFound } from '../../capability-module.ts';
import { StationEventService, type StationStatuses } from './station-event-service.ts';
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
  const stations: StationStatuses = {
    exists: async (id) => (await deps.stations.owner(id)) !== null,
    connectors: async (id) => {
      const view = await nullIfNotFound(deps.stations.get(id));
      if (!view) return [];
      const station = view.stationStatus ? [{ evseId: 0, connectorId: 0, ...view.stationStatus }] : [];
      return [...station, ...view.evses.flatMap((e) => e.connectors.map((c) => ({ evseId: e.id, ...c })))];
    },
    // The snapshot's words are the stations capability's own (ConnectorStatus, ConnectorActivity): it came from there or is Faulted/Available.
    report: (id, s, at) => deps.stations.reportStatus(id, { ...s, status: s.status as ConnectorStatus, activity: s.activity as ConnectorActivity | null, reportedAt: at }, at),
  };
  const service = new StationEventService(new SqlStationEventsRepository(db), events, stations, log);
  return {
    name: 'station-events',
    service,
    ocpp: [stationEventHandlers16(service), stationEventHandlers201(service), stationEventHandlers21(service)],
    routes: [stationEventRoutes(service)],
  };
}
