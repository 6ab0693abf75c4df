/** OCPP 2.1 <-> authorization: Authorize keeps the 2.0.1 shape for what we send (OCPP 2.1 Part 2 C01). */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { authorize2x } from './authorization-ocpp201.ts';
import type { AuthorizationService } from './authorization-service.ts';

export function authorizationHandlers21(service: AuthorizationService): OcppHandlerTable<'2.1'> {
  return { version: '2.1', owner: 'authorization', handlers: { Authorize: authorize2x(service) } };
}
