/**
 * REST: offline authorization settings per site and per station (LocalAuthorizeOffline,
 * LocalPreAuthorize, AllowOfflineTxForUnknownId / OfflineTxForUnknownIdEnabled,
 * authorization cache, local list), and what each station has accepted.
 */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { scopeOf } from '../../http/http-auth.ts';
import type { SiteOwnership } from './authorization-http.ts';
import { OFFLINE_SETTINGS, type OfflineSettings } from './authorization-offline.ts';
import type { OfflineSettingsService, StationOfflineView } from './authorization-offline-service.ts';

const Settings = Type.Object(
  {
    localAuthorizeOffline: Type.Optional(Type.Boolean({ description: 'Authorize from the local list / cache while offline' })),
    localPreAuthorize: Type.Optional(Type.Boolean({ description: 'Start at once for tokens the local list / cache accepts' })),
    offlineTxForUnknownId: Type.Optional(Type.Boolean({ description: 'Let unknown tokens charge while offline (1.6 AllowOfflineTxForUnknownId, 2.x OfflineTxForUnknownIdEnabled)' })),
    authCacheEnabled: Type.Optional(Type.Boolean({ description: 'Keep an authorization cache (1.6 AuthorizationCacheEnabled, 2.x AuthCacheCtrlr.Enabled)' })),
    localAuthListEnabled: Type.Optional(Type.Boolean({ description: 'Use the local authorization list' })),
  },
  { additionalProperties: false },
);
const Setting = Type.Union(OFFLINE_SETTINGS.map((s) => Type.Literal(s)));
const View = Type.Object({
  stationId: Type.String(),
  siteId: Type.Union([Type.String(), Type.Null()]),
  station: Type.Union([Settings, Type.Null()], { description: "The station's own settings" }),
  site: Type.Union([Settings, Type.Null()], { description: "Its site's settings" }),
  effective: Type.Record(Type.String(), Type.Object({ value: Type.Boolean(), from: Type.Union([Type.Literal('station'), Type.Literal('site')]) })),
  applied: Type.Record(Type.String(), Type.Boolean(), { description: 'Values the station accepted' }),
  pending: Type.Array(Type.Object({ setting: Setting, value: Type.Boolean(), commandId: Type.String(), state: Type.String() })),
  refused: Type.Array(Type.Object({ setting: Setting, value: Type.Boolean(), status: Type.String() })),
});
const StationParams = Type.Object({ id: Type.String({ maxLength: 48 }) });
const SiteParams = Type.Object({ siteId: Type.String({ minLength: 1, maxLength: 64 }) });
const SiteBody = Type.Object({ siteId: Type.String(), settings: Type.Union([Settings, Type.Null()]) });

export function offlineSettingsRoutes(service: OfflineSettingsService, sites: SiteOwnership) {
  return (app: HttpApp): void => {
    const tags = ['tokens'];
    const view = (v: StationOfflineView) => v;
    app.get(
      '/stations/:id/offline-authorization',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } },
        schema: { tags, summary: "A station's offline authorization settings: its own, its site's, the effective ones and what it accepted", params: StationParams, response: { 200: View } },
      },
      async (request) => view(await service.view(request.params.id)),
    );
    app.put(
      '/stations/:id/offline-authorization',
      {
        config: { access: { permission: 'stations:write', owner: { kind: 'station', param: 'id' } } },
        schema: { tags, summary: "Set a station's own offline authorization settings (override its site's) and push them", params: StationParams, body: Settings, response: { 200: View } },
      },
      async (request) => view(await service.setStation(request.params.id, request.body as OfflineSettings)),
    );
    app.delete(
      '/stations/:id/offline-authorization',
      {
        config: { access: { permission: 'stations:write', owner: { kind: 'station', param: 'id' } } },
        schema: { tags, summary: "Drop a station's own settings (its site's apply; values it holds are not reverted)", params: StationParams, response: { 200: View } },
      },
      async (request) => view(await service.clearStation(request.params.id)),
    );
    app.post(
      '/stations/:id/offline-authorization/push',
      {
        config: { access: { permission: 'stations:write', owner: { kind: 'station', param: 'id' } } },
        schema: { tags, summary: 'Send again what the station has not accepted, including values it refused', params: StationParams, response: { 200: View } },
      },
      async (request) => view(await service.reconcile(request.params.id, true)),
    );
    app.get(
      '/sites/:siteId/offline-authorization',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'site', param: 'siteId', absentAllowed: true } } },
        schema: { tags, summary: "A site's offline authorization settings", params: SiteParams, response: { 200: SiteBody } },
      },
      async (request) => ({ siteId: request.params.siteId, settings: await service.siteSettings(request.params.siteId) }),
    );
    app.put(
      '/sites/:siteId/offline-authorization',
      {
        config: { access: { permission: 'stations:write', owner: { kind: 'site', param: 'siteId', absentAllowed: true } } },
        schema: { tags, summary: "Set a site's offline authorization settings and push them to its stations", params: SiteParams, body: Settings, response: { 200: SiteBody } },
      },
      async (request) => {
        await sites.claimSiteFor(scopeOf(request), request.params.siteId);
        return { siteId: request.params.siteId, settings: await service.setSite(request.params.siteId, request.body as OfflineSettings) };
      },
    );
    app.delete(
      '/sites/:siteId/offline-authorization',
      {
        config: { access: { permission: 'stations:write', owner: { kind: 'site', param: 'siteId', absentAllowed: true } } },
        schema: { tags, summary: "Drop a site's settings (values its stations hold are not reverted)", params: SiteParams, response: { 204: Type.Null(), ...errorResponses('not-found') } },
      },
      async (request, reply) => {
        await service.clearSite(request.params.siteId);
        return reply.code(204).send(null);
      },
    );
  };
}
