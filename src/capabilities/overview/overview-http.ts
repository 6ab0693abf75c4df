/** REST route of the network overview. */
import { scopeOf } from '../../http/http-auth.ts';
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import type { OverviewService } from './overview-service.ts';

const Count = Type.Integer({ minimum: 0 });

const OverviewBody = Type.Object({
  stations: Type.Object({ total: Count, online: Count, offline: Count, faulted: Count }),
  connectors: Type.Object(
    { total: Count, available: Count, occupied: Count, charging: Count, reserved: Count, unavailable: Count, faulted: Count },
    { description: 'Current status of every connector of EVSE >= 1; occupied = plugged in (charging or not); charging = EVSEs with a running session' },
  ),
  sessions: Type.Object({ running: Count }),
  energy: Type.Object({ todayWh: Count, since: Type.String({ format: 'date-time' }) }),
  at: Type.String({ format: 'date-time' }),
});

export function overviewRoutes(service: OverviewService) {
  return (app: HttpApp): void => {
    app.get(
      '/overview',
      {
        config: { access: { permission: 'stations:read' } },
        schema: { tags: ['overview'], summary: 'Network at a glance: stations, connectors, sessions, energy today', response: { 200: OverviewBody } },
      },
      async (request) => service.overview(scopeOf(request)),
    );
  };
}
