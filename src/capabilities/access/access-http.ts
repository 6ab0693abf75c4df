/**
 * REST routes of the access capability (issue 13's API contract): sign-in and sign-out, who am I,
 * users, API keys. Users and keys are read through the caller's tenant scope, so another tenant's
 * answer 404 like ids that do not exist.
 */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { PERMISSIONS, ROLES, callerId, type Caller } from '../../kernel/permissions.ts';
import { scopedSites, scopedTenant } from '../../kernel/tenant-scope.ts';
import type { ApiKey, User } from './access.ts';
import type { AccessService } from './access-service.ts';

const Permission = Type.Union(PERMISSIONS.map((p) => Type.Literal(p)));
const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });

const UserBody = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Role,
  tenantId: Type.String(),
  siteIds: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: every site of the tenant' }),
  createdAt: Type.String({ format: 'date-time' }),
});

const ApiKeyBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tenantId: Type.String(),
  scopes: Type.Array(Permission),
  siteIds: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: every site of the tenant' }),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const MeBody = Type.Object({
  kind: Type.Union([Type.Literal('admin'), Type.Literal('user'), Type.Literal('api-key')]),
  id: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Role, Type.Null()]),
  tenantId: Type.Union([Type.String(), Type.Null()], { description: 'null: every tenant' }),
  siteIds: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: every site' }),
  permissions: Type.Array(Permission),
});

const iso = (date: Date | null) => (date === null ? null : date.toISOString());
const toUserBody = (u: User) => ({ id: u.id, email: u.email, role: u.role, tenantId: u.tenantId, siteIds: u.siteIds, createdAt: u.createdAt.toISOString() });
const toKeyBody = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  tenantId: k.tenantId,
  scopes: k.scopes,
  siteIds: k.siteIds,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  expiresAt: iso(k.expiresAt),
  revokedAt: iso(k.revokedAt),
});

function me(caller: Caller) {
  const sites = scopedSites(caller.scope);
  return {
    kind: caller.kind,
    id: callerId(caller),
    email: caller.kind === 'user' ? caller.email : null,
    role: caller.kind === 'user' ? caller.role : null,
    tenantId: scopedTenant(caller.scope),
    siteIds: sites === null ? null : [...sites],
    permissions: PERMISSIONS.filter((p) => caller.permissions.has(p)),
  };
}

export function accessRoutes(service: AccessService) {
  return (app: HttpApp): void => {
    app.post(
      '/auth/login',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with e-mail and password; the token is then used as Authorization: Bearer',
          body: Type.Object({ email: Type.String({ maxLength: 320 }), password: Type.String({ maxLength: 1024 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }), ...errorResponses('unauthorized', 'rate-limited') },
        },
      },
      async (request) => {
        const { token, expiresAt } = await service.login(request.body.email, request.body.password, request.ip, (tenantId) => {
          request.resourceTenantId = tenantId;
        });
        return { token, expiresAt: expiresAt.toISOString() };
      },
    );
    app.post(
      '/auth/logout',
      {
      config: { access: { signedIn: true } }, schema: { tags: ['auth'], summary: 'End this sign-in (a session token stops working at once)', response: { 204: Type.Null() } } },
      async (request, reply) => {
        await service.logout(request.caller);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/auth/me',
      {
      config: { access: { signedIn: true } }, schema: { tags: ['auth'], summary: 'Who the credential belongs to, its tenant, sites and permissions', response: { 200: MeBody } } },
      async (request) => me(request.caller),
    );

    app.post(
      '/users',
      {
        config: { access: { permission: 'users:write' } },
        schema: {
          tags: ['users'],
          summary: 'Create a user (tenant: the caller\'s unless named; only owners create owners)',
          body: Type.Object(
            {
              email: Type.String({ format: 'email', maxLength: 320 }),
              password: Type.String({ minLength: 10, maxLength: 1024, description: 'At least 10 characters; stored as an scrypt hash, never logged' }),
              role: Role,
              tenantId: Type.Optional(Type.String()),
              siteIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000, description: 'Limit the user to these sites' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: UserBody, ...errorResponses('already-exists', 'forbidden', 'not-found') },
        },
      },
      async (request, reply) => reply.code(201).send(toUserBody(await service.createUser(request.caller, request.body))),
    );
    app.get(
      '/users',
      {
      config: { access: { permission: 'users:read' } }, schema: { tags: ['users'], summary: 'Users of the caller\'s tenant', response: { 200: Type.Object({ items: Type.Array(UserBody) }) } } },
      async (request) => ({ items: (await service.listUsers(scopeOf(request))).map(toUserBody) }),
    );
    app.get(
      '/users/:id',
      {
      config: { access: { permission: 'users:read' } }, schema: { tags: ['users'], summary: 'One user', params: Id, response: { 200: UserBody, ...errorResponses('not-found') } } },
      async (request) => toUserBody(await service.getUser(scopeOf(request), request.params.id)),
    );

    app.delete(
      '/users/:id',
      {
        config: { access: { permission: 'users:write' } },
        schema: {
          tags: ['users'],
          summary: 'Remove a user; its sessions end at once (never one with more rights than the caller)',
          params: Id,
          response: { 204: Type.Null(), ...errorResponses('not-found', 'forbidden') },
        },
      },
      async (request, reply) => {
        await service.deleteUser(request.caller, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api-keys',
      {
        config: { access: { permission: 'api-keys:write' } },
        schema: {
          tags: ['api-keys'],
          summary: 'Create an API key for a machine; the key is in this answer only',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 200 }),
              scopes: Type.Array(Permission, { minItems: 1, uniqueItems: true }),
              tenantId: Type.Optional(Type.String()),
              siteIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000, description: 'Limit the key to these sites (a caller limited to sites: some of its own; default: all of its own)' })),
              expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Composite([ApiKeyBody, Type.Object({ key: Type.String({ description: 'Shown once: store it now' }) })]), ...errorResponses('forbidden', 'not-found', 'invalid-input') },
        },
      },
      async (request, reply) => {
        const { expiresAt, ...rest } = request.body;
        const { key, secret } = await service.createApiKey(request.caller, { ...rest, expiresAt: expiresAt ? new Date(expiresAt) : null });
        return reply.code(201).send({ ...toKeyBody(key), key: secret });
      },
    );
    app.get(
      '/api-keys',
      {
      config: { access: { permission: 'api-keys:read' } }, schema: { tags: ['api-keys'], summary: 'API keys of the caller\'s tenant (never the keys themselves)', response: { 200: Type.Object({ items: Type.Array(ApiKeyBody) }) } } },
      async (request) => ({ items: (await service.listApiKeys(scopeOf(request))).map(toKeyBody) }),
    );
    app.get(
      '/api-keys/:id',
      {
      config: { access: { permission: 'api-keys:read' } }, schema: { tags: ['api-keys'], summary: 'One API key', params: Id, response: { 200: ApiKeyBody, ...errorResponses('not-found') } } },
      async (request) => toKeyBody(await service.getApiKey(scopeOf(request), request.params.id)),
    );
    app.delete(
      '/api-keys/:id',
      {
        config: { access: { permission: 'api-keys:write' } },
        schema: { tags: ['api-keys'], summary: 'Revoke an API key (at once, on every node)', params: Id, response: { 204: Type.Null(), ...errorResponses('not-found') } },
      },
      async (request, reply) => {
        await service.revokeApiKey(scopeOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
