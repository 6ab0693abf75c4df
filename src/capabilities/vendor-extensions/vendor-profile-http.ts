/**
 * REST routes of vendor profiles (issue 14): upload, list, read back (the document exactly as
 * stored, to carry to another CSMS), replace, delete, export all and import a bundle. Profiles are
 * the caller's tenant's; a caller that administers every tenant names one with `?tenantId=`
 * (default: the default tenant), a caller naming another tenant gets not-found.
 */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { PROFILE_ID_PATTERN } from './vendor-profile.ts';
import type { StoredProfile } from './vendor-records.ts';
import { EXPORT_FORMAT, MAX_IMPORT_PROFILES, type VendorProfileService } from './vendor-profile-service.ts';
import { acceptYaml, sendYaml } from './vendor-yaml-http.ts';

const TenantQuery = Type.Object({ tenantId: Type.Optional(Type.String({ description: "Whose profiles: default the caller's tenant (the default tenant for a caller that sees every tenant)" })) });
/** Reads that return documents may answer YAML (bodies may be sent as application/yaml too: vendor-yaml-http.ts). */
const DocumentQuery = Type.Object({
  ...TenantQuery.properties,
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')], { description: 'yaml: answer application/yaml; default JSON' })),
});
const Params = Type.Object({ profileId: Type.String({ pattern: PROFILE_ID_PATTERN }) });
const ProfileDocument = Type.Object(
  {},
  {
    additionalProperties: true,
    description: 'A vendor profile: id, vendorId, optional match, messages, optional customData (docs/vendor-profiles.md)',
  },
);
/** The document is sent back as stored: serialised as is, not through a schema that could reorder or drop keys. */
const StoredDocument = Type.Unknown({ description: 'The profile document exactly as uploaded' });

const Summary = Type.Object({
  id: Type.String(),
  vendorId: Type.String(),
  tenantId: Type.String(),
  revision: Type.Integer({ description: 'Starts at 1, one more on every replacement' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const Bundle = Type.Object({
  format: Type.Literal(EXPORT_FORMAT),
  exportedAt: Type.String({ format: 'date-time' }),
  tenantId: Type.String(),
  profiles: Type.Array(Type.Unknown()),
});

const ImportBody = Type.Object(
  {
    format: Type.Optional(Type.String({ description: `${EXPORT_FORMAT} (what the export gives)` })),
    exportedAt: Type.Optional(Type.String()),
    tenantId: Type.Optional(Type.String({ description: 'Ignored: profiles go to the tenant of the query (or the caller)' })),
    profiles: Type.Array(ProfileDocument, { maxItems: MAX_IMPORT_PROFILES }),
  },
  { additionalProperties: false },
);

const summary = (p: StoredProfile) => ({ id: p.id, vendorId: p.vendorId, tenantId: p.tenantId, revision: p.revision, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() });

export function vendorProfileRoutes(service: VendorProfileService) {
  return (app: HttpApp): void => {
    const tags = ['vendor-profiles'];
    const read = { access: { permission: 'stations:read' as const } };
    const write = { access: { permission: 'stations:write' as const } };
    acceptYaml(app);

    app.post(
      '/vendor-profiles',
      {
        config: write,
        schema: {
          tags,
          summary: 'Upload a vendor profile',
          description: 'Checked on upload: a problem answers invalid-input with `details.path`, the JSON pointer of the offending field.',
          querystring: TenantQuery,
          body: ProfileDocument,
          response: { 201: StoredDocument, ...errorResponses('invalid-input', 'already-exists', 'not-found', 'forbidden') },
        },
      },
      async (request, reply) => {
        const stored = await service.create(scopeOf(request), request.body, request.query.tenantId);
        return reply.code(201).header('etag', `"${stored.revision}"`).send(stored.document);
      },
    );
    app.get(
      '/vendor-profiles',
      {
        config: read,
        schema: { tags, summary: 'List vendor profiles (without their documents)', querystring: TenantQuery, response: { 200: Type.Object({ items: Type.Array(Summary) }), ...errorResponses('not-found') } },
      },
      async (request) => ({ items: (await service.list(scopeOf(request), request.query.tenantId)).map(summary) }),
    );
    app.get(
      '/vendor-profiles/export',
      {
        config: read,
        schema: { tags, summary: "Export every profile of the tenant as one bundle (POST it to /vendor-profiles/import elsewhere)", querystring: DocumentQuery, response: { 200: Bundle, ...errorResponses('not-found') } },
      },
      async (request, reply) => {
        const bundle = await service.exportAll(scopeOf(request), request.query.tenantId);
        return sendYaml(reply, request.query.format, bundle) ? reply : bundle;
      },
    );
    app.post(
      '/vendor-profiles/import',
      {
        config: write,
        schema: {
          tags,
          summary: 'Import a bundle: creates or replaces each profile by id; one bad profile refuses the whole bundle',
          querystring: TenantQuery,
          body: ImportBody,
          response: { 200: Type.Object({ created: Type.Integer(), updated: Type.Integer() }), ...errorResponses('invalid-input', 'not-found', 'forbidden') },
        },
      },
      async (request) => service.importAll(scopeOf(request), request.body, request.query.tenantId),
    );
    app.get(
      '/vendor-profiles/:profileId',
      {
        config: read,
        schema: { tags, summary: 'One profile, exactly as uploaded (ETag: its revision)', params: Params, querystring: DocumentQuery, response: { 200: StoredDocument, ...errorResponses('not-found') } },
      },
      async (request, reply) => {
        const stored = await service.get(scopeOf(request), request.params.profileId, request.query.tenantId);
        reply.header('etag', `"${stored.revision}"`);
        return sendYaml(reply, request.query.format, stored.document) ? reply : reply.send(stored.document);
      },
    );
    app.put(
      '/vendor-profiles/:profileId',
      {
        config: write,
        schema: {
          tags,
          summary: "Replace a profile (the document's id must be the path's)",
          params: Params,
          querystring: TenantQuery,
          body: ProfileDocument,
          response: { 200: StoredDocument, ...errorResponses('invalid-input', 'not-found', 'forbidden') },
        },
      },
      async (request, reply) => {
        const stored = await service.replace(scopeOf(request), request.params.profileId, request.body, request.query.tenantId);
        return reply.header('etag', `"${stored.revision}"`).send(stored.document);
      },
    );
    app.delete(
      '/vendor-profiles/:profileId',
      {
        config: write,
        schema: { tags, summary: 'Delete a profile (messages already kept stay)', params: Params, querystring: TenantQuery, response: { 204: Type.Null(), ...errorResponses('not-found', 'forbidden') } },
      },
      async (request, reply) => {
        await service.remove(scopeOf(request), request.params.profileId, request.query.tenantId);
        return reply.code(204).send(null);
      },
    );
  };
}
