/** The station-events capability, as other capabilities and the composition root see it. */
export { stationEventsModule } from './station-events-module.ts';
