/** REST routes of tenants: POST/GET /tenants, GET /tenants/{id} (issue 13's API contract). */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { TENANT_ID_PATTERN, type Tenant } from './tenant.ts';
import type { TenantService } from './tenant-service.ts';

const TenantId = Type.String({ pattern: TENANT_ID_PATTERN, description: 'Lower-case letters, digits and dashes, at most 64 characters' });

const TenantBody = Type.Object({ id: TenantId, name: Type.String(), createdAt: Type.String({ format: 'date-time' }) });

const toBody = (tenant: Tenant) => ({ id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() });

export function tenantRoutes(service: TenantService) {
  return (app: HttpApp): void => {
    const tags = ['tenants'];
    app.post(
      '/tenants',
      {
        config: { access: { permission: 'tenants:write', platform: true } },
        schema: {
          tags,
          summary: 'Create a tenant (an organisation that owns sites, stations and tokens)',
          body: Type.Object({ id: TenantId, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
          response: { 201: TenantBody, ...errorResponses('already-exists') },
        },
      },
      async (request, reply) => reply.code(201).send(toBody(await service.create(request.body))),
    );
    app.get(
      '/tenants',
      {
        config: { access: { permission: 'tenants:read' } },
        schema: { tags, summary: 'List the tenants the caller sees (its own, or every one for who administers the platform)', response: { 200: Type.Object({ items: Type.Array(TenantBody) }) } },
      },
      async (request) => ({ items: (await service.list(scopeOf(request))).map(toBody) }),
    );
    app.get(
      '/tenants/:id',
      {
        config: { access: { permission: 'tenants:read' } },
        schema: { tags, summary: 'One tenant', params: Type.Object({ id: Type.String() }), response: { 200: TenantBody, ...errorResponses('not-found') } },
      },
      async (request) => toBody(await service.get(scopeOf(request), request.params.id)),
    );
  };
}
