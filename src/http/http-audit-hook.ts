/**
 * Every call that changes something (any method but GET/HEAD/OPTIONS), and every sign-in attempt,
 * is handed to the audit trail before its answer leaves (issue 13): the record is written by the
 * time the caller learns the outcome. A failure to record is logged, never turned into a failed
 * answer, because the change itself already happened.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callerId, callerLabel, type Caller } from '../kernel/permissions.ts';
import { scopedTenant } from '../kernel/tenant-scope.ts';

export interface ApiCallRecord {
  caller: Caller | null;
  /** For an unauthenticated call (sign-in): who it claimed to be. */
  claimed: string | null;
  method: string;
  /** The route as registered (`/api/v1/stations/:id`). */
  route: string;
  path: string;
  requestId: string;
  status: number;
  code: string | null;
  /** The tenant the call concerned: the caller's, else the resource's (when the route names one), else the created resource's. */
  tenantId: string | null;
  stationId: string | null;
  /** The id of what was created or acted on, when the answer names it. */
  resourceId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant of the resource the route names (set by the auth hook when it resolved one). */
    resourceTenantId?: string;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function parse(payload: unknown): Record<string, unknown> | null {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return null;
  try {
    return JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function auditHook(record: (call: ApiCallRecord) => Promise<void>, audited: (request: FastifyRequest) => boolean) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    if (READ_METHODS.has(request.method) || !audited(request)) return payload;
    const body = parse(payload);
    const params = (request.params ?? {}) as Record<string, unknown>;
    const route = request.routeOptions.url ?? request.url;
    const caller: Caller | null = (request as { caller?: Caller }).caller ?? null;
    const requestBody = (request.body ?? {}) as Record<string, unknown>;
    const ok = reply.statusCode < 400;
    // A station's own routes name it in the path; registering one names it in the answer.
    const stationId = route.startsWith('/api/v1/stations/:id') ? text(params.id) : ok ? (text(body?.stationId) ?? (route === '/api/v1/stations' ? text(body?.id) : null)) : null;
    try {
      await record({
        caller,
        claimed: caller ? null : text(requestBody.email),
        method: request.method,
        route,
        path: request.url.split('?')[0] as string,
        requestId: request.id,
        status: reply.statusCode,
        code: ok ? null : text(body?.code),
        tenantId: (caller ? scopedTenant(caller.scope) : null) ?? request.resourceTenantId ?? (ok ? text(body?.tenantId) : null),
        stationId,
        resourceId: ok ? (text(body?.id) ?? text(body?.idToken)) : null,
      });
    } catch (error) {
      request.log.error({ err: error, requestId: request.id, route }, 'audit record not written');
    }
    return payload;
  };
}

/** The actor as the trail names it; never a secret. */
export function actorOf(call: ApiCallRecord): { kind: 'admin' | 'user' | 'api-key' | 'anonymous'; id: string | null; label: string } {
  if (!call.caller) return { kind: 'anonymous', id: null, label: call.claimed ? `sign-in as ${call.claimed}` : 'anonymous' };
  return { kind: call.caller.kind, id: callerId(call.caller), label: callerLabel(call.caller) };
}
