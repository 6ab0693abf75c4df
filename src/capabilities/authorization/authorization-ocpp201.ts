/** OCPP 2.0.1 <-> authorization: Authorize (C01) with IdTokenInfo; 2.1 keeps the shape (authorization-ocpp21.ts). */
import { ocppCall, type OcppHandlerTable, type OcppSharedHandler } from '../../ocpp/ocpp-handler.ts';
import type { Decision } from './authorization.ts';
import type { LocalListTranslator } from './authorization-local-list-port.ts';
import type { OfflineSettingKeys } from './authorization-offline.ts';
import { positiveInteger, type LocalListSendOutcome } from './authorization-local-list.ts';
import type { AuthorizationService } from './authorization-service.ts';

export type Ocpp2x = '2.0.1' | '2.1';

export function idTokenInfo2x(decision: Decision) {
  return {
    status: decision.status,
    ...(decision.expiresAt ? { cacheExpiryDateTime: decision.expiresAt.toISOString() } : {}),
    ...(decision.groupId ? { groupIdToken: { idToken: decision.groupId, type: 'Central' as const } } : {}),
  };
}

export function authorize2x(service: AuthorizationService): OcppSharedHandler<Ocpp2x, 'Authorize'> {
  return (ctx, req) => ({
    idTokenInfo: idTokenInfo2x(service.authorize(req.idToken.idToken, ctx.receivedAt, { stationId: ctx.stationId, tenantId: ctx.tenantId, type: req.idToken.type })),
  });
}

export function authorizationHandlers201(service: AuthorizationService): OcppHandlerTable<'2.0.1'> {
  return { version: '2.0.1', owner: 'authorization', handlers: { Authorize: authorize2x(service) } };
}

/** OCPP 2.0.1 D01 SendLocalList / D02 GetLocalListVersion (2.1 keeps both). The list, when present, has at least one entry. */
export const localListTranslator2x: LocalListTranslator = {
  getVersion: () => ocppCall<Ocpp2x, 'GetLocalListVersion', number>('2.0.1', 'GetLocalListVersion', {}, (answer) => answer.versionNumber),
  send: (plan) => {
    const list = plan.entries.map((e) => ({
      idToken: { idToken: e.idToken, type: e.type },
      ...(e.decision ? { idTokenInfo: idTokenInfo2x(e.decision) } : {}),
    }));
    return ocppCall<Ocpp2x, 'SendLocalList', LocalListSendOutcome>(
      '2.0.1',
      'SendLocalList',
      { versionNumber: plan.version, updateType: plan.kind === 'full' ? 'Full' : 'Differential', ...(list.length > 0 ? { localAuthorizationList: list } : {}) },
      // 2.x SendLocalListStatusEnumType: Accepted, Failed, VersionMismatch (2.x has no NotSupported here).
      (answer): LocalListSendOutcome => answer.status,
    );
  },
  // 2.0.1 Part 2 appendix, LocalAuthListCtrlr.ItemsPerMessage: the most entries one SendLocalListRequest may hold.
  getMaxEntries: () =>
    ocppCall<Ocpp2x, 'GetVariables', number | null>(
      '2.0.1',
      'GetVariables',
      { getVariableData: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'ItemsPerMessage' } }] },
      (answer) => {
        const result = answer.getVariableResult[0];
        return result?.attributeStatus === 'Accepted' ? positiveInteger(result.attributeValue) : null;
      },
    ),
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
