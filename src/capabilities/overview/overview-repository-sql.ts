/**
 * Kysely adapter of the overview port. A read model: it only counts rows the
 * stations and transactions capabilities own, never writes them, so the
 * overview costs four aggregate statements whatever the network size.
 */
import { readInScope } from '../../storage/tenant-reads.ts';
import { sql } from 'kysely';
import type { Database } from '../../storage/database.ts';
import { inScope, type OwnedColumns } from '../../storage/tenant-scope-sql.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { OverviewCounts } from './overview.ts';
import type { OverviewRepository } from './overview-repository.ts';

const STATIONS: OwnedColumns = { station: 'stations.id', tenant: 'stations.tenant_id' };
const CONNECTORS: OwnedColumns = { station: 'station_connectors.station_id' };
const TRANSACTIONS: OwnedColumns = { station: 'transactions.station_id', tenant: 'transactions.tenant_id' };

export class SqlOverviewRepository implements OverviewRepository {
  constructor(private readonly db: Database) {}

  counts(scope: TenantScope, since: Date): Promise<OverviewCounts> {
    return readInScope(this.db, scope, async (db) => {
      const [stations, faulted, connectors, sessions] = await Promise.all([
        db
          .selectFrom('stations')
          .where(inScope(STATIONS, scope))
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('station_connectors')
          .where(inScope(CONNECTORS, scope))
          .where('status', '=', 'Faulted')
          .select(sql<string>`count(distinct station_id)`.as('n'))
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('station_connectors')
          .where(inScope(CONNECTORS, scope))
          .where('evse_id', '>', 0)
          .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
          .groupBy('status')
          .execute(),
        db
          .selectFrom('transactions')
          .where(inScope(TRANSACTIONS, scope))
          .where((eb) => eb.or([eb('state', '=', 'active'), eb('started_at', '>=', since), eb('stopped_at', '>=', since)]))
          .select([
            sql<string>`count(*) filter (where state = 'active')`.as('running'),
            sql<string>`count(distinct (station_id, evse_id)) filter (where state = 'active')`.as('charging'),
            // Rounded to the mWh every reading is kept in: a sum of doubles carries binary noise.
            sql<string | null>`round(sum(greatest(coalesce(meter_stop_wh, last_meter_wh) - meter_start_wh, 0))::numeric, 3)`.as('energy'),
          ])
          .executeTakeFirstOrThrow(),
      ]);
      return {
        stationsTotal: Number(stations.n),
        stationsFaulted: Number(faulted.n),
        connectorsByStatus: Object.fromEntries(connectors.map((row) => [row.status, Number(row.n)])),
        sessionsRunning: Number(sessions.running),
        evsesCharging: Number(sessions.charging),
        energyTodayWh: Number(sessions.energy ?? 0),
      };
    });
  }

  countInScope(scope: TenantScope, stationIds: readonly string[]): Promise<number> {
    return readInScope(this.db, scope, async (db) => {
      if (stationIds.length === 0) return 0;
      const row = await db
        .selectFrom('stations')
        .where(inScope(STATIONS, scope))
        .where('id', 'in', [...stationIds])
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    });
  }
}
