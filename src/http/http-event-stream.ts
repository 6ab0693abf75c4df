/**
 * GET /api/v1/events: the domain events as Server-Sent Events (ADR 0010), for
 * the console's live view. Behind the same bearer auth as every other route;
 * browsers read it with fetch() so the token stays in the Authorization header.
 *
 * Each event is `event: <type>` + `data: <json>`; a comment line every
 * `heartbeatMs` keeps proxies from closing an idle stream. A client that does
 * not keep up (its socket buffer passes `maxBufferedBytes`) is disconnected
 * rather than buffered without bound; it reconnects and reloads.
 */
import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { DomainEvent, EventBus } from '../cluster/event-bus.ts';
import type { HttpApp } from './http-server.ts';

export interface EventStreamOptions {
  heartbeatMs?: number;
  maxBufferedBytes?: number;
}

const Query = Type.Object({
  stationId: Type.Optional(Type.String({ maxLength: 48, description: 'Only events of this station' })),
  types: Type.Optional(Type.String({ maxLength: 500, description: 'Comma-separated event types, e.g. station.status-changed,command.finished' })),
});

function encode(event: DomainEvent, id: number): string {
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The events the stream carries (documented in the route's description). */
const STREAMED_EVENTS = [
  'station.connected',
  'station.disconnected',
  'station.booted',
  'station.status-changed',
  'transaction.started',
  'transaction.updated',
  'transaction.ended',
  'command.finished',
] as const;

export function eventStreamRoutes(bus: EventBus, options: EventStreamOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBuffered = options.maxBufferedBytes ?? 1_048_576;
  return (app: HttpApp): void => {
    const open = new Set<ServerResponse>();
    // Streams never end by themselves: end them so that closing the server does not wait on them.
    app.addHook('preClose', async () => {
      for (const response of open) response.end();
    });
    app.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary: 'Live domain events (text/event-stream)',
          description:
            'Server-Sent Events: station.connected, station.disconnected, station.booted, station.status-changed, transaction.started, transaction.updated, transaction.ended, command.finished. Each `data:` line is the event as JSON.',
          querystring: Query,
          // Documents the stream; never used to serialize (the reply is hijacked). Without it the
          // document would list only the problems the edge adds to every route.
          response: { 200: { description: 'The event stream', content: { 'text/event-stream': { schema: Type.String() } } } },
        },
      },
      (request, reply) => {
        const { stationId } = request.query;
        const types = request.query.types ? new Set(request.query.types.split(',').map((t) => t.trim())) : null;
        reply.hijack();
        const response = reply.raw;
        response.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          // Tells nginx-like proxies not to buffer the stream.
          'x-accel-buffering': 'no',
        });
        response.write(': chargebridge event stream\nretry: 2000\n\n');
        open.add(response);
        let sequence = 0;
        // Every node's events (a station may be connected to any node), and only the public ones:
        // the cross-node bookkeeping events (tokens changed, ...) are not part of the stream.
        const unsubscribe = bus.subscribe(
          (event) => {
            if (!('stationId' in event)) return;
            if (stationId && event.stationId !== stationId) return;
            if (types && !types.has(event.type)) return;
            if (response.writableLength > maxBuffered) {
              response.destroy();
              return;
            }
            response.write(encode(event, ++sequence));
          },
          { scope: 'cluster', types: STREAMED_EVENTS },
        );
        const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), heartbeatMs);
        heartbeat.unref();
        response.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          open.delete(response);
        });
      },
    );
  };
}
