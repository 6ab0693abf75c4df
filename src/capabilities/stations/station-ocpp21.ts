/**
 * OCPP 2.1 <-> stations domain. BootNotification, Heartbeat and
 * StatusNotification are unchanged from 2.0.1 (OCPP 2.1 Part 2 B01, G01, G02),
 * so the 2.0.1 translation serves; only the version tag differs.
 */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { stationHandlers2x } from './station-ocpp201.ts';
import type { StationService } from './station-service.ts';

export function stationHandlers21(service: StationService): OcppHandlerTable<'2.1'> {
  return { version: '2.1', owner: 'stations', handlers: stationHandlers2x(service) };
}
