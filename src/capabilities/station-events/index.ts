/** The station-events capability, as other capabilities and the composition root see it. */
export { stationEventsModule, type StationEventsModule } from './station-event-module.ts';
export { StationEventService } from './station-event-service.ts';
export type { StationEvent, StationProblem, StationMeterSample } from './station-event.ts';
