/**
 * The HTTP edge: Fastify with TypeBox schemas (validation, types and the
 * OpenAPI document from one source), authentication, permissions and tenant
 * ownership checks on /api/v1 (http-auth.ts), per-caller rate limits,
 * problem+json errors, and unauthenticated /health and /ready probes.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import rateLimit from '@fastify/rate-limit';
import type { Caller } from '../kernel/permissions.ts';
import { CodedError } from '../kernel/errors.ts';
import { authHooks, checkRouteAccess, type OwnerLookup, type RouteAccess } from './http-auth.ts';
import { auditHook, type ApiCallRecord } from './http-audit-hook.ts';
import { errorHandler, problem, sendProblem } from './http-problem.ts';
import { withEdgeErrors } from './http-error-responses.ts';
import { serveConsole } from './http-console.ts';

export type HttpApp = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

/**
 * A capability's REST routes, registered under /api/v1 behind auth; one marked `outsideApi`
 * (a public page, such as a driver's pay page) is registered at the root instead, in a context
 * of its own: no credentials, no API hooks, and whatever headers and limits it sets stay its own.
 */
export type RoutePlugin = ((app: HttpApp) => void | Promise<void>) & { readonly outsideApi?: true };

/** Marks routes to be served outside /api/v1 (see RoutePlugin). */
export function outsideApi(routes: (app: HttpApp) => void | Promise<void>): RoutePlugin {
  return Object.assign(routes, { outsideApi: true as const });
}

export interface HttpServerOptions {
  adminToken: string;
  /** Session tokens and API keys (the access capability); null when unknown, expired or revoked. */
  authenticate(secret: string): Promise<Caller | null>;
  /** Per resource kind, who owns an id (each capability resolves its own kinds). */
  owners: Readonly<Record<string, OwnerLookup>>;
  /** REST requests per minute per caller (per client address when unauthenticated); 0: no limit. */
  rateLimitPerMinute: number;
  /** Records a call that changed something, or a sign-in attempt, before its answer leaves (the audit trail). */
  audit?: (call: ApiCallRecord) => Promise<void>;
  log: Logger;
  version: string;
  routes: RoutePlugin[];
  ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
  /** The built operator console (web/dist), served at /; absent: no console. */
  consoleDir?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Who a rate limit counts: the key, the user, or the admin token, never the secret itself. */
function callerKey(caller: Caller): string {
  return caller.kind === 'admin' ? 'admin' : `${caller.kind}:${caller.id}`;
}

export async function createHttpServer(options: HttpServerOptions): Promise<HttpApp> {
  const app = Fastify({
    // Request lines are noise at info level; problems are logged by the error mapper.
    loggerInstance: options.log.child({ component: 'http' }, { level: 'warn' }),
    bodyLimit: 1_048_576,
    // A caller's X-Request-ID is kept (logs and the audit trail then correlate with its own), if it looks like an id.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req-${randomUUID()}`;
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(errorHandler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem('not-found', `no route ${request.method} ${request.url.split('?')[0]}`, { instance: request.url })),
  );

  await app.register(swagger, {
    openapi: {
      info: { title: 'Chargebridge CSMS API', version: options.version, description: 'Version-neutral REST API for OCPP 1.6J, 2.0.1 and 2.1 stations.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_request, reply) => {
    const result = await options.ready();
    return reply.code(result.ok ? 200 : 503).send({ status: result.ok ? 'ready' : 'not-ready', checks: result.checks });
  });

  if (options.consoleDir) serveConsole(app, options.consoleDir);
  for (const routes of options.routes) if (routes.outsideApi) await app.register(async (pages) => routes(pages as HttpApp));

  await app.register(
    async (api) => {
      const limits: { refused?: (request: FastifyRequest) => Promise<number | null> } = {};
      const auth = authHooks({ ...options, refused: (request) => limits.refused?.(request) ?? Promise.resolve(null) });
      api.addHook('onRequest', auth.authenticate);
      api.addHook('preValidation', auth.permit);
      if (options.rateLimitPerMinute > 0) {
        await api.register(rateLimit, {
          // A route-level onRequest hook runs after the API's own (authentication): a caller is limited
          // as itself wherever it connects from, before any other work, refused or not.
          hook: 'onRequest',
          max: options.rateLimitPerMinute,
          timeWindow: 60_000,
          keyGenerator: (request) => (request.caller ? callerKey(request.caller) : `address:${request.ip}`),
          errorResponseBuilder: (_request, context) =>
            new CodedError('rate-limited', `more than ${context.max} requests per minute`, { retryAfterSec: Math.ceil(context.ttl / 1000) }),
        });
        // Refused credentials count per address, with the same allowance: guessing keys is rate-limited too.
        const refusedLimit = api.createRateLimit({ keyGenerator: (request) => `refused:${request.ip}` });
        limits.refused = async (request) => {
          const limit = await refusedLimit(request);
          return !limit.isAllowed && limit.isExceeded ? Math.max(1, limit.ttlInSeconds) : null;
        };
      }
      api.addHook('preHandler', auth.locate);
      const { audit } = options;
      // A refused credential is not an action: only authenticated calls, and sign-ins (which is where credentials are guessed).
      if (audit) api.addHook('onSend', auditHook(audit, (request) => (request as { caller?: unknown }).caller !== undefined || request.routeOptions.config.access?.public === true));
      // Every API route declares its access and documents (and serializes) the problems the edge itself can answer with.
      api.addHook('onRoute', (route) => {
        checkRouteAccess(route, options.owners);
        const access = (route.config as { access?: RouteAccess } | undefined)?.access;
        route.schema = withEdgeErrors(route, access);
      });
      for (const routes of options.routes) if (!routes.outsideApi) await routes(api as HttpApp);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
