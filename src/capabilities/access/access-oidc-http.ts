/**
 * REST routes of OpenID Connect sign-in (issue 13, ADR 21): a tenant's provider settings (the
 * secret goes in, never out), and the three public steps of a console sign-in: start (302 to the
 * provider), callback (302 back to the console with a one-time ticket in the URL fragment) and
 * redeem (the ticket for a session token, like POST /auth/login). A failure of any step answers
 * problem+json; the callback does too, so the browser shows what went wrong and the console's
 * sign-in page stays free of error text carried in a URL.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { CodedError } from '../../kernel/errors.ts';
import { scopeSees } from '../../kernel/tenant-scope.ts';
import { consoleReturnPath, SSO_DEFAULT_ROLES, type TenantOidcSettings } from './access-oidc.ts';
import { OIDC_CALLBACK_PATH, type OidcService } from './access-oidc-service.ts';

const DefaultRole = Type.Union(SSO_DEFAULT_ROLES.map((r) => Type.Literal(r)));
const TenantParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const SettingsBody = Type.Object({
  tenantId: Type.String(),
  issuer: Type.String({ description: 'The provider\'s issuer identifier; its discovery document is read from <issuer>/.well-known/openid-configuration' }),
  clientId: Type.String(),
  hasClientSecret: Type.Boolean({ description: 'Whether a client secret is stored (it is never shown)' }),
  defaultRole: Type.Union([DefaultRole, Type.Null()], { description: 'The role of a first-time user; null: only existing users may sign in this way' }),
  redirectUri: Type.String({ description: 'The redirect URI to register at the provider (from the Host this request came to)' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const SettingsInput = Type.Object(
  {
    issuer: Type.String({ minLength: 1, maxLength: 2000, description: 'https (http only on the loopback interface), no query or fragment' }),
    clientId: Type.String({ minLength: 1, maxLength: 500 }),
    clientSecret: Type.Optional(
      Type.Union([Type.String({ maxLength: 2000 }), Type.Null()], {
        description: 'For a confidential client. Absent: keep the stored one; null or empty: remove it (a public client, PKCE alone). Never returned, never logged',
      }),
    ),
    defaultRole: Type.Optional(Type.Union([DefaultRole, Type.Null()], { description: 'Give first-time users this role (never owner); null or absent: existing users only' })),
  },
  { additionalProperties: false },
);

/**
 * Where this request was sent to, as the browser sees it: the base of the redirect URI. Behind a
 * proxy, the Host must be the public one, and a proxy that ends TLS says so in X-Forwarded-Proto.
 * Neither can send anyone elsewhere: the provider accepts only the redirect URIs registered with it.
 */
function publicBaseUrl(request: FastifyRequest): string {
  const host = request.headers.host;
  if (!host || !/^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) throw new CodedError('invalid-input', 'the request has no usable Host header');
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (typeof forwarded === 'string' ? forwarded.split(',')[0] : '')?.trim().toLowerCase();
  const protocol = first === 'https' || first === 'http' ? first : request.protocol;
  return `${protocol}://${host}`;
}

const toSettingsBody = (s: TenantOidcSettings, request: FastifyRequest) => ({
  tenantId: s.tenantId,
  issuer: s.issuer,
  clientId: s.clientId,
  hasClientSecret: s.clientSecret !== null,
  defaultRole: s.defaultRole,
  redirectUri: `${publicBaseUrl(request)}${OIDC_CALLBACK_PATH}`,
  updatedAt: s.updatedAt.toISOString(),
});

/**
 * Who may point a tenant's sign-in at a provider: an owner or the admin token. Whoever sets the
 * provider can sign in as any account of the tenant it asserts, owners included, so this is an
 * owner's power, not every holder of users:write.
 */
function mustBeOwner(request: FastifyRequest): void {
  const { caller } = request;
  if (caller.kind === 'admin' || (caller.kind === 'user' && caller.role === 'owner')) return;
  throw new CodedError('forbidden', 'only an owner sets up single sign-on');
}

/** Another tenant's settings answer like a tenant that does not exist (ADR 20). */
function visibleTenant(request: FastifyRequest, tenantId: string): string {
  if (!scopeSees(scopeOf(request), { tenantId })) throw new CodedError('not-found', `tenant ${tenantId} does not exist`);
  return tenantId;
}

/** At least 128 bits in base64url, so it cannot be guessed; the console makes 32 random bytes. */
const BINDING_PATTERN = '^[A-Za-z0-9_-]{22,128}$';

export function oidcRoutes(service: OidcService) {
  return (app: HttpApp): void => {
    const tags = ['single sign-on'];

    app.put(
      '/tenants/:id/oidc',
      {
        config: { access: { permission: 'users:write' } },
        schema: {
          tags,
          summary: "Set the tenant's OpenID Connect provider for console sign-in",
          params: TenantParams,
          body: SettingsInput,
          response: { 200: SettingsBody, ...errorResponses('not-found', 'forbidden') },
        },
      },
      async (request) => {
        const tenantId = visibleTenant(request, request.params.id);
        mustBeOwner(request);
        return toSettingsBody(await service.putSettings(tenantId, request.body), request);
      },
    );
    app.get(
      '/tenants/:id/oidc',
      {
        config: { access: { permission: 'users:read' } },
        schema: { tags, summary: "The tenant's OpenID Connect provider (never its client secret)", params: TenantParams, response: { 200: SettingsBody, ...errorResponses('not-found') } },
      },
      async (request) => toSettingsBody(await service.getSettings(visibleTenant(request, request.params.id)), request),
    );
    app.delete(
      '/tenants/:id/oidc',
      {
        config: { access: { permission: 'users:write' } },
        schema: { tags, summary: 'Turn single sign-on off for the tenant', params: TenantParams, response: { 204: Type.Null(), ...errorResponses('not-found', 'forbidden') } },
      },
      async (request, reply) => {
        const tenantId = visibleTenant(request, request.params.id);
        mustBeOwner(request);
        await service.deleteSettings(tenantId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/oidc/:tenantId/start',
      {
        config: { access: { public: true } },
        schema: {
          tags,
          summary: "Begin a console sign-in at the tenant's provider: 302 to its authorization endpoint (code flow, PKCE S256)",
          params: Type.Object({ tenantId: Type.String({ maxLength: 64 }) }),
          querystring: Type.Object({
            returnTo: Type.Optional(Type.String({ maxLength: 1000, description: 'The console route to open afterwards, e.g. /stations/CP-1' })),
            binding: Type.String({
              pattern: BINDING_PATTERN,
              description: 'A random value the starting browser keeps (22-128 URL-safe characters) and sends again to redeem: the ticket works only for it (login CSRF)',
            }),
          }),
          // unauthorized is never this route's own answer; it is listed because every operation of the API documents it (test/http/error-codes.test.ts).
          response: { 302: Type.Null({ description: 'Location: the provider' }), ...errorResponses('unauthorized', 'not-found') },
        },
      },
      async (request, reply) => {
        const url = await service.start(request.params.tenantId, publicBaseUrl(request), consoleReturnPath(request.query.returnTo), request.query.binding);
        return reply.header('cache-control', 'no-store').redirect(url.href, 302);
      },
    );
    app.get(
      '/auth/oidc/callback',
      {
        config: { access: { public: true } },
        schema: {
          tags,
          summary: "The provider's redirect back: 302 to the console with a one-time ticket in the URL fragment",
          querystring: Type.Object({
            state: Type.String({ minLength: 1, maxLength: 500 }),
            code: Type.Optional(Type.String({ maxLength: 4000 })),
            error: Type.Optional(Type.String({ maxLength: 500 })),
          }),
          response: { 302: Type.Null({ description: 'Location: /#/sso?ticket=…&returnTo=…' }), ...errorResponses('unauthorized', 'not-found') },
        },
      },
      async (request, reply) => {
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        const landing = await service.finish(request.query.state, query);
        return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(landing, 302);
      },
    );
    app.post(
      '/auth/oidc/redeem',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['auth', ...tags],
          summary: 'Trade the one-time ticket of a single sign-on for a session token (once, within 60 s); answers like POST /auth/login',
          body: Type.Object(
            { ticket: Type.String({ minLength: 1, maxLength: 200 }), binding: Type.String({ pattern: BINDING_PATTERN, description: 'The value given to start' }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }), ...errorResponses('unauthorized') },
        },
      },
      async (request) => {
        const { token, expiresAt } = await service.redeem(request.body.ticket, request.body.binding);
        return { token, expiresAt: expiresAt.toISOString() };
      },
    );
  };
}
