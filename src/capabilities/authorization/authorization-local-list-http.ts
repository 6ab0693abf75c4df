/** REST: a station's local authorization list status, and a manual re-sync. */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import type { LocalListService, LocalListStatus } from './authorization-local-list-service.ts';

const Status = Type.Object({
  currentVersion: Type.Integer({ description: 'The newest list version' }),
  version: Type.Union([Type.Integer(), Type.Null()], { description: 'The version the station holds, as it last told us' }),
  status: Type.String({ description: 'Accepted, UpToDate, Failed, NotSupported, VersionMismatch or NeverSynced' }),
  detail: Type.Union([Type.String(), Type.Null()]),
  syncedAt: Type.String(),
});
const Params = Type.Object({ id: Type.String({ maxLength: 48 }) });
const body = (s: LocalListStatus) => ({ ...s, syncedAt: s.syncedAt.toISOString() });

export function localListRoutes(service: LocalListService) {
  return (app: HttpApp): void => {
    const tags = ['tokens'];
    app.get('/stations/:id/local-list', { config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } }, schema: { tags, summary: 'Local authorization list version of a station', params: Params, response: { 200: Status } } }, async (request) =>
      body(await service.status(request.params.id)),
    );
    app.post(
      '/stations/:id/local-list/sync',
      {
        config: { access: { permission: 'stations:write', owner: { kind: 'station', param: 'id' } } },
        schema: { tags, summary: 'Bring a connected station\'s local list to the current version now', params: Params, response: { 200: Status } },
      },
      async (request) => body(await service.sync(request.params.id)),
    );
  };
}
