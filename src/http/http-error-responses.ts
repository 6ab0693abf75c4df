/**
 * A route's error responses, from the error-code registry (kernel/error-codes.ts).
 *
 * A route names the codes its own handler raises: `response: { 200: X, ...errorResponses('not-found') }`.
 * The edge adds the codes any /api/v1 route can get (`withEdgeErrors`, applied to
 * every API route by http-server.ts), so no route has to remember them:
 * rate-limited and internal always, unauthorized unless the route is public,
 * forbidden when it needs a permission, not-found when it names a resource
 * (http-auth.ts), invalid-input when a schema checks the
 * request, and the body-parsing codes for methods that carry a body.
 *
 * Each status gets one application/problem+json schema whose `code` enumerates
 * that status's codes, so the OpenAPI document tells a client exactly which codes
 * to expect. Fastify also serializes a problem through the schema of its status:
 * the schema must list every member a problem can carry (http-problem.ts), or
 * that member is silently dropped on the way out.
 */
import { Type } from '@sinclair/typebox';
import type { FastifySchema } from 'fastify';
import { ERROR_CODE_NAMES, ERROR_CODES, type ErrorCode } from '../kernel/error-codes.ts';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

function problemSchema(codes: readonly ErrorCode[]) {
  return Type.Object(
    {
      type: Type.String({ description: 'urn:chargebridge:problem:<code>' }),
      title: Type.String(),
      status: Type.Integer(),
      code: Type.Unsafe<ErrorCode>({ type: 'string', enum: [...codes], description: 'Stable: switch on this' }),
      detail: Type.Optional(Type.String({ description: 'What went wrong, for people' })),
      instance: Type.Optional(Type.String({ description: 'The request path' })),
      // Optional members inside: a missing one must not make the serializer throw while it reports an error.
      errors: Type.Optional(
        Type.Array(Type.Object({ path: Type.Optional(Type.String()), message: Type.Optional(Type.String()) }), {
          description: 'invalid-input from a schema: each rule the request broke',
        }),
      ),
      details: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Structured facts about the failure (e.g. the CSV `line`)' })),
    },
    { title: 'Problem' },
  );
}

export interface ProblemResponse {
  description: string;
  content: { 'application/problem+json': { schema: ReturnType<typeof problemSchema> } };
}

/** Which codes each response built here stands for: the edge merges codes, not schemas. */
const codesOf = new WeakMap<object, readonly ErrorCode[]>();

/** Problem responses for these codes, one per status, keyed by status. */
export function errorResponses(...codes: ErrorCode[]): Record<number, ProblemResponse> {
  const byStatus = new Map<number, ErrorCode[]>();
  // Registry order, so the document does not depend on the order a route lists its codes in.
  for (const code of ERROR_CODE_NAMES.filter((c) => codes.includes(c))) {
    const { status } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<number, ProblemResponse> = {};
  for (const [status, group] of byStatus) {
    const response: ProblemResponse = {
      description: group.map((code) => `\`${code}\`: ${ERROR_CODES[code].when}`).join('; '),
      content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema(group) } } as ProblemResponse['content'],
    };
    codesOf.set(response, group);
    responses[status] = response;
  }
  return responses;
}

/** Methods whose body Fastify parses: they can fail before the handler with the body-parsing codes. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route's schema with the edge's codes added to its own. Returns a new schema (the
 * original may be shared with the HEAD twin of a GET route). A 4xx/5xx response not
 * built by errorResponses() is a boot error: it would bypass the registry.
 */
export function withEdgeErrors(
  route: { method: string | string[]; url?: string; schema?: FastifySchema },
  access: { permission?: string; public?: true; platform?: true; owner?: unknown } = {},
): FastifySchema {
  const schema = route.schema ?? {};
  const own: Record<string, unknown> = {};
  const codes: ErrorCode[] = ['rate-limited', 'internal'];
  if (!access.public) codes.push('unauthorized');
  if (access.permission || access.platform) codes.push('forbidden');
  if (access.owner) codes.push('not-found');
  for (const [status, response] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
    if (Number(status) < 400) {
      own[status] = response;
      continue;
    }
    const declared = typeof response === 'object' && response !== null ? codesOf.get(response) : undefined;
    if (!declared) throw new Error(`${String(route.method)} ${route.url}: error response ${status} must come from errorResponses()`);
    codes.push(...declared);
  }
  if (schema.body || schema.querystring || schema.params) codes.push('invalid-input');
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.some((m) => BODY_METHODS.has(m.toUpperCase()))) codes.push('bad-request', 'payload-too-large', 'unsupported-media-type');
  // The permission is the OpenAPI security scope of the route: the document says what each route needs.
  // `platform`: only for a caller that administers every tenant (the admin token, an owner of the default tenant).
  const scopes = [...(access.permission ? [access.permission] : []), ...(access.platform ? ['platform'] : [])];
  const security = access.public ? [] : [{ bearer: scopes }];
  return { ...schema, security, response: { ...own, ...errorResponses(...codes) } } as FastifySchema;
}
