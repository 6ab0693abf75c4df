/** OCPP 2.0.1 <-> authorization: Authorize (C01) with IdTokenInfo. */
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import type { Decision } from './authorization.ts';
import type { AuthorizationService } from './authorization-service.ts';

export function idTokenInfo2x(decision: Decision) {
  return {
    status: decision.status,
    ...(decision.expiresAt ? { cacheExpiryDateTime: decision.expiresAt.toISOString() } : {}),
    ...(decision.groupId ? { groupIdToken: { idToken: decision.groupId, type: 'Central' } } : {}),
  };
}

export function authorizationHandlers2x(service: AuthorizationService, version: OcppVersion): OcppHandlerTable {
  return {
    version,
    owner: 'authorization',
    handlers: {
      Authorize: (ctx, req: { idToken: { idToken: string; type: string } }) => ({
        idTokenInfo: idTokenInfo2x(service.authorize(req.idToken.idToken, ctx.receivedAt, { stationId: ctx.stationId, type: req.idToken.type })),
      }),
    },
  };
}

export function authorizationHandlers201(service: AuthorizationService): OcppHandlerTable {
  return authorizationHandlers2x(service, '2.0.1');
}
