/**
 * Kysely adapter of the overview port. A read model: it only counts rows the
 * stations and transactions capabilities own, never writes them, so the
 * overview costs four aggregate statements whatever the network size.
 */
import { sql } from 'kysely';
import type { Database } from '../../storage/database.ts';
import type { OverviewCounts } from './overview.ts';
import type { OverviewRepository } from './overview-repository.ts';

export class SqlOverviewRepository implements OverviewRepository {
  constructor(private readonly db: Database) {}

  async counts(since: Date): Promise<OverviewCounts> {
    const [stations, faulted, connectors, sessions] = await Promise.all([
      this.db.selectFrom('stations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      this.db
        .selectFrom('station_connectors')
        .where('status', '=', 'Faulted')
        .select(sql<string>`count(distinct station_id)`.as('n'))
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('station_connectors')
        .where('evse_id', '>', 0)
        .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('status')
        .execute(),
      this.db
        .selectFrom('transactions')
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
  }
}
