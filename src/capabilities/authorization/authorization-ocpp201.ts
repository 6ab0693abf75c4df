/** OCPP 2.0.1 <-> authorization: Authorize (C01) with IdTokenInfo. */
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import type { Decision } from './authorization.ts';
import type { LocalListTranslator } from './authorization-local-list-port.ts';
import type { OfflineSettingKeys } from './authorization-offline.ts';
import { positiveInteger } from './authorization-local-list.ts';
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

/** OCPP 2.0.1 D01 SendLocalList / D02 GetLocalListVersion (2.1 keeps both). The list, when present, has at least one entry. */
export const localListTranslator2x: LocalListTranslator = {
  getVersion: { action: 'GetLocalListVersion', payload: {} },
  parseVersion: (response) => (response as { versionNumber: number }).versionNumber,
  send: (plan) => {
    const list = plan.entries.map((e) => ({
      idToken: { idToken: e.idToken, type: e.type },
      ...(e.decision ? { idTokenInfo: idTokenInfo2x(e.decision) } : {}),
    }));
    return {
      action: 'SendLocalList',
      payload: { versionNumber: plan.version, updateType: plan.kind === 'full' ? 'Full' : 'Differential', ...(list.length > 0 ? { localAuthorizationList: list } : {}) },
    };
  },
  parseStatus: (response) => (response as { status: string }).status,
  // 2.0.1 Part 2 appendix, LocalAuthListCtrlr.ItemsPerMessage: the most entries one SendLocalListRequest may hold.
  getMaxEntries: { action: 'GetVariables', payload: { getVariableData: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'ItemsPerMessage' } }] } },
  parseMaxEntries: (response) => {
    const result = (response as { getVariableResult?: Array<{ attributeStatus: string; attributeValue?: string }> }).getVariableResult?.[0];
    return result?.attributeStatus === 'Accepted' ? positiveInteger(result.attributeValue) : null;
  },
};

/**
 * OCPP 2.0.1 / 2.1 device-model variables of the offline authorization settings, as
 * `Component/Variable` keys of the setConfiguration command (2.0.1 Part 2 appendix:
 * AuthCtrlr, AuthCacheCtrlr, LocalAuthListCtrlr).
 */
export const offlineSettingKeys2x: OfflineSettingKeys = {
  localAuthorizeOffline: 'AuthCtrlr/LocalAuthorizeOffline',
  localPreAuthorize: 'AuthCtrlr/LocalPreAuthorize',
  offlineTxForUnknownId: 'AuthCtrlr/OfflineTxForUnknownIdEnabled',
  authCacheEnabled: 'AuthCacheCtrlr/Enabled',
  localAuthListEnabled: 'LocalAuthListCtrlr/Enabled',
};
