/** OCPP 1.6J <-> authorization: Authorize (§4.1) with IdTagInfo. */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import type { Decision } from './authorization.ts';
import type { LocalListTranslator } from './authorization-local-list-port.ts';
import { positiveInteger } from './authorization-local-list.ts';
import type { OfflineSettingKeys } from './authorization-offline.ts';
import type { AuthorizationService } from './authorization-service.ts';

const STATUSES_16 = new Set(['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx']);

/** 1.6 AuthorizationStatus (§7.2) knows neither Unknown nor NotAllowedTypeEVSE: both, and any other 2.x word, are Invalid there. */
export function authorizationStatus16(status: string): string {
  return STATUSES_16.has(status) ? status : 'Invalid';
}

export function idTagInfo16(decision: Decision) {
  return {
    status: authorizationStatus16(decision.status),
    ...(decision.expiresAt ? { expiryDate: decision.expiresAt.toISOString() } : {}),
    // 1.6 idTag and parentIdTag are at most 20 characters.
    ...(decision.groupId && decision.groupId.length <= 20 ? { parentIdTag: decision.groupId } : {}),
  };
}

export function authorizationHandlers16(service: AuthorizationService): OcppHandlerTable {
  return {
    version: '1.6',
    owner: 'authorization',
    handlers: {
      Authorize: (ctx, req: { idTag: string }) => ({
        idTagInfo: idTagInfo16(service.authorize(req.idTag, ctx.receivedAt, { stationId: ctx.stationId })),
      }),
    },
  };
}

/** OCPP 1.6 §6.46 SendLocalList / §6.28 GetLocalListVersion. 1.6 idTags are at most 20 characters; longer tokens cannot be listed. */
export const localListTranslator16: LocalListTranslator = {
  getVersion: { action: 'GetLocalListVersion', payload: {} },
  parseVersion: (response) => (response as { listVersion: number }).listVersion,
  send: (plan) => ({
    action: 'SendLocalList',
    payload: {
      listVersion: plan.version,
      updateType: plan.kind === 'full' ? 'Full' : 'Differential',
      localAuthorizationList: plan.entries
        .filter((e) => e.idToken.length <= 20)
        .map((e) => (e.decision ? { idTag: e.idToken, idTagInfo: idTagInfo16(e.decision) } : { idTag: e.idToken })),
    },
  }),
  parseStatus: (response) => (response as { status: string }).status,
  // §9.4 SendLocalListMaxLength: the most idTagInfo entries one SendLocalList.req may hold.
  getMaxEntries: { action: 'GetConfiguration', payload: { key: ['SendLocalListMaxLength'] } },
  parseMaxEntries: (response) => {
    const entry = (response as { configurationKey?: Array<{ key: string; value?: string }> }).configurationKey?.find((k) => k.key === 'SendLocalListMaxLength');
    return positiveInteger(entry?.value);
  },
};

/** OCPP 1.6 configuration keys of the offline authorization settings (§9.1 Core, §9.4 Local Auth List Management). */
export const offlineSettingKeys16: OfflineSettingKeys = {
  localAuthorizeOffline: 'LocalAuthorizeOffline',
  localPreAuthorize: 'LocalPreAuthorize',
  offlineTxForUnknownId: 'AllowOfflineTxForUnknownId',
  authCacheEnabled: 'AuthorizationCacheEnabled',
  localAuthListEnabled: 'LocalAuthListEnabled',
};

