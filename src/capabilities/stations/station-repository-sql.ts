/** Kysely adapter of the stations port: one SQL for PGlite and PostgreSQL. */
import { readInScope } from '../../storage/tenant-reads.ts';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import type { StationsTable, StationConnectorsTable } from '../../storage/tables/station-tables.ts';
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import type { ConnectorActivity, ConnectorState, ConnectorStatus, RegistrationStatus, SecurityProfile, Station, StationIdentity } from './station.ts';
import type {
  BootRecord,
  ConnectionEvent,
  NewStation,
  StationChanges,
  StationCredentials,
  StationFilter,
  StationRepository,
  StatusHistoryEntry,
} from './station-repository.ts';


function toStation(row: Selectable<StationsTable>): Station {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    securityProfile: row.security_profile as SecurityProfile,
    hasPassword: row.password_hash !== null,
    siteId: row.site_id,
    labels: row.labels ?? {},
    registrationStatus: row.registration_status as RegistrationStatus,
    ocppVersion: row.ocpp_version as OcppVersion | null,
    vendor: row.vendor,
    model: row.model,
    serialNumber: row.serial_number,
    firmwareVersion: row.firmware_version,
    iccid: row.iccid,
    imsi: row.imsi,
    lastBootAt: asDate(row.last_boot_at),
    lastBootReason: row.last_boot_reason,
    lastSeenAt: asDate(row.last_seen_at),
    connectedAt: asDate(row.connected_at),
    disconnectedAt: asDate(row.disconnected_at),
    createdAt: asDate(row.created_at) as Date,
    updatedAt: asDate(row.updated_at) as Date,
  };
}

function toConnector(row: Selectable<StationConnectorsTable>): ConnectorState {
  return {
    evseId: row.evse_id,
    connectorId: row.connector_id,
    status: row.status as ConnectorStatus,
    activity: row.activity as ConnectorActivity | null,
    ocppStatus: row.ocpp_status,
    errorCode: row.error_code,
    info: row.info,
    reportedAt: asDate(row.reported_at) as Date,
  };
}

/** Escapes LIKE wildcards so a search for "A_1" means exactly that. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A CTE `locked` that locks the station rows named by `source` in id order. Boots, connection
 * events and last-seen times are written by separate batches that may run at once; taking the
 * row locks in one order keeps them from deadlocking on each other. NO KEY UPDATE is the lock an
 * UPDATE takes anyway, and does not wait for the foreign-key checks of history inserts. Callers
 * restrict their UPDATE with `s.id = any(array(select id from locked))`, which is an index lookup.
 */
function lockedInIdOrder(stationId: RawBuilder<unknown>, source: RawBuilder<unknown>) {
  // = ANY(array(...)) rather than IN (select ...): the planner cannot size a JSON row source, and
  // with IN it scans every station per batch; with an array it uses the primary key.
  return sql`locked as (select s.id from stations as s where s.id = any(array(select ${stationId} from ${source})) order by s.id for no key update)`;
}

export class SqlStationRepository implements StationRepository {
  constructor(private readonly db: Database) {}

  async create(station: NewStation, now: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('stations')
      .values({
        id: station.id,
        tenant_id: station.tenantId,
        password_hash: station.passwordHash,
        security_profile: station.securityProfile,
        site_id: station.siteId,
        labels: JSON.stringify(station.labels),
        registration_status: station.registrationStatus,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async find(id: string): Promise<Station | null> {
    const row = await this.db.selectFrom('stations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toStation(row) : null;
  }

  async owner(id: string): Promise<{ tenantId: string; siteId: string | null } | null> {
    const row = await this.db.selectFrom('stations').select(['tenant_id', 'site_id']).where('id', '=', id).executeTakeFirst();
    return row ? { tenantId: row.tenant_id, siteId: row.site_id } : null;
  }

  async findCredentials(id: string): Promise<StationCredentials | null> {
    const row = await this.db
      .selectFrom('stations')
      .select(['id', 'tenant_id', 'password_hash', 'security_profile', 'registration_status', 'site_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row
      ? {
          id: row.id,
          tenantId: row.tenant_id,
          passwordHash: row.password_hash,
          securityProfile: row.security_profile as SecurityProfile,
          registrationStatus: row.registration_status as RegistrationStatus,
          siteId: row.site_id,
        }
      : null;
  }

  list(filter: StationFilter): Promise<{ items: Station[]; total: number }> {
    return readInScope(this.db, filter.scope, async (db) => {
      let query = db.selectFrom('stations');
      if (filter.tenantId) query = query.where('tenant_id', '=', filter.tenantId);
      if (filter.siteId) query = query.where('site_id', '=', filter.siteId);
      if (filter.siteIds) query = filter.siteIds.length === 0 ? query.where(sql<boolean>`false`) : query.where('site_id', 'in', filter.siteIds);
      if (filter.search) {
        const pattern = likePattern(filter.search);
        query = query.where((eb) =>
          eb.or([eb('id', 'ilike', pattern), eb('vendor', 'ilike', pattern), eb('model', 'ilike', pattern), eb('serial_number', 'ilike', pattern)]),
        );
      }
      if (filter.status) {
        const status = filter.status;
        query = query.where(({ exists, selectFrom }) =>
          exists(selectFrom('station_connectors as c').select('c.station_id').whereRef('c.station_id', '=', 'stations.id').where('c.status', '=', status)),
        );
      }
      if (filter.ids) {
        if (filter.ids.length === 0) return { items: [], total: 0 };
        query = query.where('id', 'in', filter.ids);
      }
      if (filter.excludeIds && filter.excludeIds.length > 0) query = query.where('id', 'not in', filter.excludeIds);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toStation), total: Number(count.total) };
    });
  }

  async update(id: string, changes: StationChanges, now: Date): Promise<boolean> {
    const values: Record<string, unknown> = { updated_at: now };
    if (changes.passwordHash !== undefined) values.password_hash = changes.passwordHash;
    if (changes.securityProfile !== undefined) values.security_profile = changes.securityProfile;
    if (changes.siteId !== undefined) values.site_id = changes.siteId;
    if (changes.labels !== undefined) values.labels = JSON.stringify(changes.labels);
    if (changes.registrationStatus !== undefined) values.registration_status = changes.registrationStatus;
    const result = await this.db.updateTable('stations').set(values).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('stations').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async recordBoots(boots: ReadonlyArray<BootRecord>): Promise<void> {
    if (boots.length === 0) return;
    const rows = boots.map((b) => ({
      station_id: b.stationId,
      vendor: b.identity.vendor,
      model: b.identity.model,
      serial_number: b.identity.serialNumber,
      firmware_version: b.identity.firmwareVersion,
      iccid: b.identity.iccid,
      imsi: b.identity.imsi,
      ocpp_version: b.version,
      at: b.at,
      reason: b.reason,
    }));
    // One statement for the whole batch: the rows travel as one JSON parameter; the newest boot of a station wins.
    await sql`
      with boots as (
        select distinct on (station_id) * from json_to_recordset(${JSON.stringify(rows)}::json)
          as b(station_id text, vendor text, model text, serial_number text, firmware_version text, iccid text, imsi text, ocpp_version text, at timestamptz, reason text)
        order by station_id, at desc
      ),
      ${lockedInIdOrder(sql`boots.station_id`, sql`boots`)}
      update stations as s set vendor = b.vendor, model = b.model, serial_number = b.serial_number, firmware_version = b.firmware_version,
        iccid = b.iccid, imsi = b.imsi, ocpp_version = b.ocpp_version, last_boot_at = b.at, last_boot_reason = b.reason,
        last_seen_at = greatest(s.last_seen_at, b.at), updated_at = b.at
      from boots as b where s.id = b.station_id and s.id = any(array(select id from locked))
    `.execute(this.db);
  }

  async recordConnections(events: ReadonlyArray<{ stationId: string } & ConnectionEvent>): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => ({ station_id: e.stationId, event: e.event, at: e.at, ocpp_version: e.ocppVersion, reason: e.reason }));
    // One statement (data-modifying CTEs) for the whole batch: a connection storm costs one round trip per batch.
    await sql`
      with events as (
        select * from json_to_recordset(${JSON.stringify(rows)}::json) as e(station_id text, event text, at timestamptz, ocpp_version text, reason text)
      ),
      logged as (
        insert into station_connection_events (station_id, event, at, ocpp_version, reason)
        select station_id, event, at, ocpp_version, reason from events
      ),
      latest as (
        select station_id,
          max(at) filter (where event = 'connected') as connected_at,
          max(at) filter (where event = 'disconnected') as disconnected_at,
          (array_agg(ocpp_version order by at desc) filter (where event = 'connected' and ocpp_version is not null))[1] as ocpp_version
        from events group by station_id
      ),
      ${lockedInIdOrder(sql`latest.station_id`, sql`latest`)}
      update stations as s set
        connected_at = coalesce(l.connected_at, s.connected_at),
        disconnected_at = coalesce(l.disconnected_at, s.disconnected_at),
        ocpp_version = coalesce(l.ocpp_version, s.ocpp_version),
        last_seen_at = greatest(s.last_seen_at, l.connected_at)
      from latest as l where s.id = l.station_id and s.id = any(array(select id from locked))
    `.execute(this.db);
  }

  async touchMany(seen: ReadonlyMap<string, Date>): Promise<void> {
    if (seen.size === 0) return;
    const ids = [...seen.keys()];
    const times = ids.map((id) => (seen.get(id) as Date).toISOString());
    // One set-based statement for the whole batch; never move last_seen_at backwards.
    await sql`
      with v as (select * from unnest(${ids}::text[], ${times}::timestamptz[]) as v(id, seen)),
      ${lockedInIdOrder(sql`v.id`, sql`v`)}
      update stations as s set last_seen_at = v.seen
      from v
      where s.id = v.id and s.id = any(array(select id from locked)) and (s.last_seen_at is null or s.last_seen_at < v.seen)
    `.execute(this.db);
  }

  async recordStatuses(reports: ReadonlyArray<{ stationId: string; report: ConnectorState; receivedAt: Date }>): Promise<void> {
    if (reports.length === 0) return;
    // Several reports for one connector in a batch: the newest wins the current-state row.
    const latest = new Map<string, (typeof reports)[number]>();
    for (const entry of reports) {
      const key = `${entry.stationId}\u0000${entry.report.evseId}\u0000${entry.report.connectorId}`;
      const current = latest.get(key);
      if (!current || current.report.reportedAt <= entry.report.reportedAt) latest.set(key, entry);
    }
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('station_status_history')
        .values(
          reports.map(({ stationId, report, receivedAt }) => ({
            station_id: stationId,
            evse_id: report.evseId,
            connector_id: report.connectorId,
            status: report.status,
            activity: report.activity,
            ocpp_status: report.ocppStatus,
            error_code: report.errorCode,
            reported_at: report.reportedAt,
            received_at: receivedAt,
          })),
        )
        .execute();
      await trx
        .insertInto('station_connectors')
        .values(
          [...latest.values()].map(({ stationId, report }) => ({
            station_id: stationId,
            evse_id: report.evseId,
            connector_id: report.connectorId,
            status: report.status,
            activity: report.activity,
            ocpp_status: report.ocppStatus,
            error_code: report.errorCode,
            info: report.info,
            reported_at: report.reportedAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['station_id', 'evse_id', 'connector_id']).doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            activity: eb.ref('excluded.activity'),
            ocpp_status: eb.ref('excluded.ocpp_status'),
            error_code: eb.ref('excluded.error_code'),
            info: eb.ref('excluded.info'),
            reported_at: eb.ref('excluded.reported_at'),
          })),
        )
        .execute();
    });
  }

  async connectors(id: string): Promise<ConnectorState[]> {
    const rows = await this.db.selectFrom('station_connectors').selectAll().where('station_id', '=', id).execute();
    return rows.map(toConnector);
  }

  async connectorsOf(ids: readonly string[]): Promise<Map<string, ConnectorState[]>> {
    const result = new Map<string, ConnectorState[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return result;
    const rows = await this.db.selectFrom('station_connectors').selectAll().where('station_id', 'in', [...ids]).execute();
    for (const row of rows) result.get(row.station_id)?.push(toConnector(row));
    return result;
  }

  async statusHistory(id: string, options: { limit: number; before?: Date }): Promise<StatusHistoryEntry[]> {
    let query = this.db.selectFrom('station_status_history').selectAll().where('station_id', '=', id);
    if (options.before) query = query.where('received_at', '<', options.before);
    const rows = await query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map((row) => ({
      evseId: row.evse_id,
      connectorId: row.connector_id,
      status: row.status as ConnectorStatus,
      activity: row.activity as ConnectorActivity | null,
      ocppStatus: row.ocpp_status,
      errorCode: row.error_code,
      info: null,
      reportedAt: asDate(row.reported_at) as Date,
      receivedAt: asDate(row.received_at) as Date,
    }));
  }

  async connectionHistory(id: string, options: { limit: number }): Promise<ConnectionEvent[]> {
    const rows = await this.db
      .selectFrom('station_connection_events')
      .selectAll()
      .where('station_id', '=', id)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .execute();
    return rows.map((row) => ({
      event: row.event as ConnectionEvent['event'],
      at: asDate(row.at) as Date,
      ocppVersion: row.ocpp_version as OcppVersion | null,
      reason: row.reason,
    }));
  }
}
