/** REST route of the audit trail: GET /audit, as JSON pages or as CSV (issue 13's contract). */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { auditCsv, type AuditEntry } from './audit.ts';
import type { AuditService } from './audit-service.ts';
import { Nullable } from '../../http/http-schemas.ts';


const EntryBody = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  tenantId: Nullable(Type.String()),
  actor: Type.Object({
    kind: Type.Union(['admin', 'user', 'api-key', 'system', 'anonymous'].map((k) => Type.Literal(k))),
    id: Nullable(Type.String()),
    label: Type.String(),
  }),
  action: Type.String({ description: 'METHOD /api/v1/route/{param} for an API call; `command <type>` for a command\'s outcome' }),
  path: Nullable(Type.String()),
  stationId: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  outcome: Type.Object({ status: Nullable(Type.Integer()), code: Nullable(Type.String()) }),
  detail: Nullable(Type.Object({}, { additionalProperties: true })),
});

const toBody = (e: AuditEntry) => ({ ...e, at: e.at.toISOString() });

export function auditRoutes(service: AuditService) {
  return (app: HttpApp): void => {
    app.get(
      '/audit',
      {
        config: { access: { permission: 'audit:read' } },
        schema: {
          tags: ['audit'],
          summary: "The audit trail of the caller's tenant, newest first: every change made over the API, every sign-in attempt, every command's outcome",
          querystring: Type.Object({
            stationId: Type.Optional(Type.String({ maxLength: 64 })),
            actorId: Type.Optional(Type.String({ maxLength: 64 })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'nextBefore of the previous page' })),
            limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: the same entries as text/csv' })),
          }),
          response: {
            200: {
              description: 'A page of entries (JSON), or the same as CSV with format=csv',
              content: {
                'application/json': { schema: Type.Object({ items: Type.Array(EntryBody), nextBefore: Nullable(Type.String()) }) },
                'text/csv': { schema: Type.String() },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const { from, to, format, ...rest } = request.query;
        const items = await service.list(scopeOf(request), { ...rest, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
        if (format === 'csv') {
          return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit.csv"').send(auditCsv(items));
        }
        const last = items.at(-1);
        return { items: items.map(toBody), nextBefore: items.length === rest.limit && last ? last.id : null };
      },
    );
  };
}
