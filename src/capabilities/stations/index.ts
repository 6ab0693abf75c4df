/** The stations capability, as other capabilities and the composition root see it. */
export { StationService, type StationServiceSettings, type StationView } from './station-service.ts';
export { SqlStationRepository } from './station-repository-sql.ts';
export { stationHandlers16 } from './station-ocpp16.ts';
export { stationHandlers201 } from './station-ocpp201.ts';
export { stationHandlers21 } from './station-ocpp21.ts';
export { stationRoutes } from './station-http.ts';
export type { ConnectorActivity, ConnectorStatus, RegistrationStatus, Station } from './station.ts';
export { StationMessageLog } from './station-message-log-service.ts';
export { stationMessageLogRoutes } from './station-message-log-http.ts';
export { stationModule, type StationModule } from './station-module.ts';
