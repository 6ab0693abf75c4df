/** GET /stations/{id}/messages: the station's recent OCPP messages, newest first. */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import type { StationMessageLog } from './station-message-log-service.ts';
import type { StationService } from './station-service.ts';

const Query = Type.Object({
  direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')], { description: 'in = station -> CSMS' })),
  action: Type.Optional(Type.String({ maxLength: 64, description: 'e.g. StatusNotification; answers carry the action of their call' })),
  search: Type.Optional(Type.String({ maxLength: 100, description: 'Text searched in the message' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages with a greater seq (poll for new ones)' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

const Message = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  kind: Type.Union(['call', 'result', 'error', 'result-error', 'send', 'invalid'].map((k) => Type.Literal(k))),
  messageId: Type.Union([Type.String(), Type.Null()]),
  action: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
  raw: Type.Union([Type.String(), Type.Null()]),
});

export function stationMessageLogRoutes(stations: StationService, log: StationMessageLog) {
  return (app: HttpApp): void => {
    app.get(
      '/stations/:id/messages',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags: ['stations'],
          summary: 'Recent OCPP messages of a station, newest first (in memory, secrets redacted)',
          params: Type.Object({ id: Type.String({ pattern: stationIdPattern }) }),
          querystring: Query,
          response: { 200: Type.Object({ items: Type.Array(Message) }), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        await stations.get(request.params.id);
        const items = log.read(request.params.id, request.query);
        return { items: items.map((m) => ({ ...m, at: m.at.toISOString() })) };
      },
    );
  };
}
