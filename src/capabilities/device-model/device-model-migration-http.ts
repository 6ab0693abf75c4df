/** REST route of the 1.6 -> 2.0.1 migration assistant: what a station's 1.6 configuration becomes in 2.x. */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { MIGRATION_STATUSES } from './device-model-key-map.ts';
import type { DeviceModelMigrationService } from './device-model-migration-service.ts';
import { Nullable } from '../../http/http-schemas.ts';


const Row = Type.Object({
  key: Type.String({ description: 'The key as the station spelled it' }),
  matchedKey: Nullable(Type.String({ description: 'The key as OCPP 1.6 spells it; null for a vendor key' })),
  value: Nullable(Type.String({ description: 'The 1.6 value (never shown for AuthorizationKey)' })),
  readonly: Type.Boolean(),
  target: Nullable(Type.String({ description: 'The 2.0.1 "Component[instance]/Variable[instance]" it becomes' })),
  targets: Type.Array(Type.String()),
  translatedValue: Nullable(Type.String()),
  status: Type.Union(MIGRATION_STATUSES.map((s) => Type.Literal(s))),
  apply: Type.Boolean({ description: 'Written to the station when it comes back on 2.x' }),
  note: Type.String(),
});

export function deviceModelMigrationRoutes(service: DeviceModelMigrationService) {
  return (app: HttpApp): void => {
    app.get(
      '/stations/:id/migration-plan',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags: ['device model'],
          summary: 'What the station\'s last-known OCPP 1.6 configuration becomes in 2.0.1, key by key (docs/migrating-16-to-201.md)',
          params: Type.Object({ id: Type.String({ pattern: stationIdPattern }) }),
          response: {
            200: Type.Object({
              stationId: Type.String(),
              ocppVersion: Nullable(Type.String()),
              basedOn: Nullable(Type.String({ format: 'date-time', description: 'When the newest 1.6 value was learnt; null: run getConfiguration without keys first' })),
              summary: Type.Record(Type.String(), Type.Integer()),
              rows: Type.Array(Row),
            }),
            ...errorResponses('not-found'),
          },
        },
      },
      async (request) => {
        const plan = await service.plan(request.params.id);
        return { ...plan, basedOn: plan.basedOn ? plan.basedOn.toISOString() : null, rows: plan.rows.map(({ assignments: _assignments, ...row }) => row) };
      },
    );
  };
}
