/**
 * OCPP 2.1 <-> station events. The messages of station-event-ocpp201.ts keep their
 * 2.0.1 shapes in 2.1 (charging-limit sources became free strings, which the
 * translation reads as strings anyway), so the same handlers serve.
 */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { stationEventHandlers2x } from './station-event-ocpp201.ts';
import type { StationEventService } from './station-event-service.ts';

export function stationEventHandlers21(service: StationEventService): OcppHandlerTable<'2.1'> {
  return { version: '2.1', owner: 'station-events', handlers: stationEventHandlers2x(service) };
}
