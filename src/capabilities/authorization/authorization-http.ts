/** REST routes for id tokens: create, import (JSON or CSV), list, get, update (block / expire), delete. */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { scopeOf } from '../../http/http-auth.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { CodedError } from '../../kernel/errors.ts';
import { ID_TOKEN_TYPES, type IdToken } from './authorization.ts';
import type { AuthorizationService } from './authorization-service.ts';
import type { TokenInput } from './authorization.ts';
import { parseTokenCsv } from './authorization-csv-service.ts';

const TokenType = Type.Union(ID_TOKEN_TYPES.map((t) => Type.Literal(t)));
const Status = Type.Union([Type.Literal('Accepted'), Type.Literal('Blocked'), Type.Literal('Invalid')]);
const TokenValue = Type.String({ minLength: 1, maxLength: 255, description: 'RFID UID, eMAID, MAC address, ... (1.6 idTag: at most 20 characters)' });
const When = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const TokenFields = {
  type: Type.Optional(TokenType),
  status: Type.Optional(Status),
  expiresAt: Type.Optional(When),
  groupId: Type.Optional(Type.Union([TokenValue, Type.Null()])),
  inLocalList: Type.Optional(Type.Boolean({ description: 'Send this token to stations in their local authorization list' })),
};
const ImportItem = Type.Object({ idToken: TokenValue, ...TokenFields }, { additionalProperties: false });
const CreateBody = Type.Object(
  { idToken: TokenValue, tenantId: Type.Optional(Type.String({ description: "The owning tenant; default: the caller's" })), ...TokenFields },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(TokenFields, { additionalProperties: false });

export const TokenBody = Type.Object({
  idToken: Type.String(),
  tenantId: Type.String(),
  type: TokenType,
  status: Status,
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  groupId: Type.Union([Type.String(), Type.Null()]),
  inLocalList: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const tokenToBody = (t: IdToken): Static<typeof TokenBody> => ({
  idToken: t.idToken,
  tenantId: t.tenantId,
  type: t.type,
  status: t.status,
  expiresAt: t.expiresAt?.toISOString() ?? null,
  groupId: t.groupId,
  inLocalList: t.inLocalList,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

const Params = Type.Object({ idToken: TokenValue });
const SiteParams = Type.Object({ siteId: Type.String({ minLength: 1, maxLength: 64 }) });
const SiteSettings = Type.Object({ siteId: Type.String(), autochargeEnabled: Type.Boolean() });

/** Who owns sites (the tenants capability): site settings are written only into a site of the caller's tenant. */
export interface SiteOwnership {
  claimSiteFor(scope: TenantScope, siteId: string): Promise<void>;
}

export function authorizationRoutes(service: AuthorizationService, sites: SiteOwnership) {
  return (app: HttpApp): void => {
    const tags = ['tokens'];
    // CSV import arrives as text/csv; Fastify parses only JSON by default.
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    app.post(
      '/tokens',
      {
        config: { access: { permission: 'tokens:write' } },
        schema: { tags, summary: 'Create an id token', body: CreateBody, response: { 201: TokenBody, ...errorResponses('already-exists', 'invalid-input', 'not-found') } },
      },
      async (request, reply) => reply.code(201).send(tokenToBody(await service.create(scopeOf(request), request.body))),
    );
    app.post(
      '/tokens/import',
      {
        config: { access: { permission: 'tokens:write' } },
        schema: {
          tags,
          summary: 'Create or replace many tokens: a JSON array of tokens, or CSV (text/csv) with header idToken,type,status,expiresAt,groupId',
          body: Type.Union([Type.Array(ImportItem, { maxItems: 100_000 }), Type.String()]),
          response: { 200: Type.Object({ created: Type.Integer(), updated: Type.Integer() }), ...errorResponses('invalid-input', 'already-exists') },
        },
      },
      async (request) => {
        const rows: TokenInput[] = typeof request.body === 'string' ? parseTokenCsv(request.body) : request.body;
        if (rows.length === 0) throw new CodedError('invalid-input', 'no tokens to import');
        return service.importMany(scopeOf(request), rows);
      },
    );
    app.get(
      '/tokens',
      {
        config: { access: { permission: 'tokens:read' } },
        schema: {
          tags,
          summary: 'List id tokens (paged)',
          querystring: Type.Object({
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
            status: Type.Optional(Status),
            groupId: Type.Optional(Type.String()),
            search: Type.Optional(Type.String()),
          }),
          response: { 200: Type.Object({ items: Type.Array(TokenBody), total: Type.Integer() }) },
        },
      },
      async (request) => {
        const page = service.list(scopeOf(request), request.query);
        return { items: page.items.map(tokenToBody), total: page.total };
      },
    );
    app.get(
      '/tokens/:idToken',
      {
        config: { access: { permission: 'tokens:read', owner: { kind: 'token', param: 'idToken' } } },
        schema: { tags, summary: 'One id token', params: Params, response: { 200: TokenBody, ...errorResponses('not-found') } },
      },
      async (request) => tokenToBody(service.get(scopeOf(request), request.params.idToken)),
    );
    app.patch(
      '/tokens/:idToken',
      {
        config: { access: { permission: 'tokens:write', owner: { kind: 'token', param: 'idToken' } } },
        schema: { tags, summary: 'Block, unblock, expire or regroup a token', params: Params, body: UpdateBody, response: { 200: TokenBody, ...errorResponses('not-found', 'invalid-input') } },
      },
      async (request) => tokenToBody(await service.update(scopeOf(request), request.params.idToken, request.body)),
    );
    app.get(
      '/sites/:siteId/authorization',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'site', param: 'siteId', absentAllowed: true } } },
        schema: {
          tags,
          summary: 'Authorization settings of a site',
          params: SiteParams,
          response: { 200: SiteSettings },
        },
      },
      async (request) => ({ siteId: request.params.siteId, autochargeEnabled: service.autocharge.siteEnabled(request.params.siteId) }),
    );
    app.put(
      '/sites/:siteId/authorization',
      {
        config: { access: { permission: 'stations:write', owner: { kind: 'site', param: 'siteId', absentAllowed: true } } },
        schema: {
          tags,
          summary: 'Enable or disable Autocharge (vehicle MAC address as id token) on a site',
          params: SiteParams,
          body: Type.Object({ autochargeEnabled: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: SiteSettings },
        },
      },
      async (request) => {
        await sites.claimSiteFor(scopeOf(request), request.params.siteId);
        await service.autocharge.setSite(request.params.siteId, request.body.autochargeEnabled);
        return { siteId: request.params.siteId, autochargeEnabled: request.body.autochargeEnabled };
      },
    );
    app.get(
      '/autocharge/uses',
      {
        config: { access: { permission: 'tokens:read' } },
        schema: {
          tags,
          summary: 'Autocharge uses, newest first; suspicious=true lists the ones judged spoofed (two stations at once, impossible travel)',
          querystring: Type.Object({
            idToken: Type.Optional(Type.String()),
            suspicious: Type.Optional(Type.Boolean()),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  idToken: Type.String(),
                  stationId: Type.String(),
                  siteId: Type.Union([Type.String(), Type.Null()]),
                  at: Type.String(),
                  accepted: Type.Boolean(),
                  suspicion: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const uses = await service.autocharge.uses(scopeOf(request), { idToken: request.query.idToken, suspiciousOnly: request.query.suspicious, limit: request.query.limit });
        return { items: uses.map((u) => ({ ...u, at: u.at.toISOString() })) };
      },
    );
    app.delete(
      '/tokens/:idToken',
      {
        config: { access: { permission: 'tokens:write', owner: { kind: 'token', param: 'idToken' } } },
        schema: { tags, summary: 'Delete a token', params: Params, response: { 204: Type.Null(), ...errorResponses('not-found') } },
      },
      async (request, reply) => {
        await service.remove(scopeOf(request), request.params.idToken);
        return reply.code(204).send(null);
      },
    );
  };
}
