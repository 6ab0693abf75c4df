/** OCPP 1.6J <-> authorization: Authorize (§4.1) with IdTagInfo. */
import { ocppCall, type OcppHandlerTable, type OcppRequest, type OcppResponse } from '../../ocpp/ocpp-handler.ts';
import type { Decision } from './authorization.ts';
import type { LocalListTranslator } from './authorization-local-list-port.ts';
import { positiveInteger, type LocalListSendOutcome } from './authorization-local-list.ts';
import type { OfflineSettingKeys } from './authorization-offline.ts';
import type { AuthorizationService } from './authorization-service.ts';

type IdTagInfo16 = OcppResponse<'1.6', 'Authorize'>['idTagInfo'];
type AuthorizationStatus16 = IdTagInfo16['status'];
type LocalListEntry16 = NonNullable<OcppRequest<'1.6', 'SendLocalList'>['localAuthorizationList']>[number];

const STATUSES_16: ReadonlySet<string> = new Set<AuthorizationStatus16>(['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx']);

/** 1.6 AuthorizationStatus (§7.2) knows neither Unknown nor NotAllowedTypeEVSE: both, and any other 2.x word, are Invalid there. */
export function authorizationStatus16(status: string): AuthorizationStatus16 {
  return STATUSES_16.has(status) ? (status as AuthorizationStatus16) : 'Invalid';
}

export function idTagInfo16(decision: Decision): IdTagInfo16 {
  return {
    status: authorizationStatus16(decision.status),
    ...(decision.expiresAt ? { expiryDate: decision.expiresAt.toISOString() } : {}),
    // 1.6 idTag and parentIdTag are at most 20 characters.
    ...(decision.groupId && decision.groupId.length <= 20 ? { parentIdTag: decision.groupId } : {}),
  };
}

export function authorizationHandlers16(service: AuthorizationService): OcppHandlerTable<'1.6'> {
  return {
    version: '1.6',
    owner: 'authorization',
    handlers: {
      Authorize: (ctx, req) => ({
        idTagInfo: idTagInfo16(service.authorize(req.idTag, ctx.receivedAt, { stationId: ctx.stationId, tenantId: ctx.tenantId })),
      }),
    },
  };
}

/** OCPP 1.6 §6.41 SendLocalList and §6.27 GetLocalListVersion. 1.6 idTags are at most 20 characters; longer tokens cannot be listed. */
export const localListTranslator16: LocalListTranslator = {
  getVersion: () => ocppCall('1.6', 'GetLocalListVersion', {}, (answer) => answer.listVersion),
  send: (plan) =>
    ocppCall(
      '1.6',
      'SendLocalList',
      {
        listVersion: plan.version,
        updateType: plan.kind === 'full' ? 'Full' : 'Differential',
        localAuthorizationList: plan.entries
          .filter((e) => e.idToken.length <= 20)
          .map((e): LocalListEntry16 => (e.decision ? { idTag: e.idToken, idTagInfo: idTagInfo16(e.decision) } : { idTag: e.idToken })),
      },
      // 1.6 UpdateStatus has exactly the outcome's four words.
      (answer): LocalListSendOutcome => answer.status,
    ),
  // §9.2.3 SendLocalListMaxLength: the most idTagInfo entries one SendLocalList.req may hold.
  getMaxEntries: () =>
    ocppCall('1.6', 'GetConfiguration', { key: ['SendLocalListMaxLength'] }, (answer) =>
      positiveInteger(answer.configurationKey?.find((k) => k.key === 'SendLocalListMaxLength')?.value),
    ),
};

/** OCPP 1.6 configuration keys of the offline authorization settings (§9.1 Core, §9.2 Local Auth List Management). */
export const offlineSettingKeys16: OfflineSettingKeys = {
  localAuthorizeOffline: 'LocalAuthorizeOffline',
  localPreAuthorize: 'LocalPreAuthorize',
  offlineTxForUnknownId: 'AllowOfflineTxForUnknownId',
  authCacheEnabled: 'AuthorizationCacheEnabled',
  localAuthListEnabled: 'LocalAuthListEnabled',
};
