/**
 * GET /api/v1/events: the domain events as Server-Sent Events (ADR 0010), for
 * the console's live view. Behind the same bearer auth as every other route;
 * browsers read it with fetch() so the token stays in the Authorization header.
 *
 * A subscriber sees the events of the stations in its scope only (ADR 20): each
 * event's station is resolved to its tenant and site once per stream and kept,
 * and read again when the station connects or its site changes.
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
import { scopeOf, type OwnerLookup } from './http-auth.ts';
import { scopeSees } from '../kernel/tenant-scope.ts';

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

/** Owners kept per stream: enough for a large network, bounded for a stream that lives for days. */
const MAX_KNOWN_OWNERS = 100_000;

export function eventStreamRoutes(bus: EventBus, stationOwner: OwnerLookup, options: EventStreamOptions = {}) {
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
        config: { access: { permission: 'stations:read' } },
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
        const scope = scopeOf(request);
        // Whether each station's events may reach this subscriber; null while being resolved.
        const visible = new Map<string, boolean>();
        const resolving = new Map<string, Promise<boolean>>();
        const canSee = (id: string): boolean | Promise<boolean> => {
          if ('all' in scope) return true;
          const known = visible.get(id);
          if (known !== undefined) return known;
          let pending = resolving.get(id);
          if (!pending) {
            pending = stationOwner(id)
              .then((owner) => owner !== null && owner.tenantId !== undefined && scopeSees(scope, { tenantId: owner.tenantId, siteId: owner.siteId ?? null }))
              .catch(() => false)
              .then((seen) => {
                resolving.delete(id);
                if (visible.size >= MAX_KNOWN_OWNERS) visible.clear();
                visible.set(id, seen);
                return seen;
              });
            resolving.set(id, pending);
          }
          return pending;
        };
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
        const send = (event: DomainEvent) => {
          if (response.writableLength > maxBuffered) {
            response.destroy();
            return;
          }
          response.write(encode(event, ++sequence));
        };
        // Events of one station keep their order: a station's events wait behind its owner lookup.
        const queued = new Map<string, Promise<void>>();
        const unsubscribe = bus.subscribe(
          (event) => {
            if (!('stationId' in event)) return;
            if (event.type === 'station.updated') {
              visible.delete(event.stationId);
              return;
            }
            // A connection is where a station's traffic starts: its owner is read again, since a deleted
            // station's id may since have been registered by another tenant.
            if (event.type === 'station.connected') visible.delete(event.stationId);
            if (stationId && event.stationId !== stationId) return;
            if (types && !types.has(event.type)) return;
            const id = event.stationId;
            const seen = queued.has(id) ? null : canSee(id);
            if (seen === true) return send(event);
            if (seen === false) return;
            const next = (queued.get(id) ?? Promise.resolve())
              .then(() => canSee(id))
              .then((ok) => {
                if (ok && !response.destroyed) send(event);
              });
            queued.set(id, next);
            void next.finally(() => {
              if (queued.get(id) === next) queued.delete(id);
            });
          },
          { scope: 'cluster', types: [...STREAMED_EVENTS, 'station.updated'] },
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
