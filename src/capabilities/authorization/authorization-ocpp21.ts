/** OCPP 2.1 <-> authorization: Authorize keeps the 2.0.1 shape for what we send (OCPP 2.1 Part 2 C01). */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { authorizationHandlers2x } from './authorization-ocpp201.ts';
import type { AuthorizationService } from './authorization-service.ts';

export function authorizationHandlers21(service: AuthorizationService): OcppHandlerTable {
  return authorizationHandlers2x(service, '2.1');
}
