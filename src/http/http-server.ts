/**
 * The HTTP edge: Fastify with TypeBox schemas (validation, types and the
 * OpenAPI document from one source), bearer auth on /api/v1, problem+json
 * errors, and unauthenticated /health and /ready probes.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { bearerAuth } from './http-auth.ts';
import { errorHandler, problem, sendProblem } from './http-problem.ts';
import { withEdgeErrors } from './http-error-responses.ts';
import { serveConsole } from './http-console.ts';

export type HttpApp = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

/** A capability's REST routes, registered under /api/v1 behind auth. */
export type RoutePlugin = (app: HttpApp) => void | Promise<void>;

export interface HttpServerOptions {
  adminToken: string;
  log: Logger;
  version: string;
  routes: RoutePlugin[];
  ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
  /** The built operator console (web/dist), served at /; absent: no console. */
  consoleDir?: string;
}

export async function createHttpServer(options: HttpServerOptions): Promise<HttpApp> {
  const app = Fastify({
    // Request lines are noise at info level; problems are logged by the error mapper.
    loggerInstance: options.log.child({ component: 'http' }, { level: 'warn' }),
    bodyLimit: 1_048_576,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(errorHandler);
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

  await app.register(
    async (api) => {
      api.addHook('onRequest', bearerAuth(options.adminToken));
      // Every API route documents (and serializes) the problems the edge itself can answer with.
      api.addHook('onRoute', (route) => {
        route.schema = withEdgeErrors(route);
      });
      for (const routes of options.routes) await routes(api as HttpApp);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
