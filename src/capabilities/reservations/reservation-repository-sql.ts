/** Kysely adapter of the reservations port: one SQL for PGlite and PostgreSQL. */
import { sql, type Selectable } from 'kysely';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import type { ReservationsTable } from '../../storage/tables/reservations-tables.ts';
import { OPEN_STATES, type Reservation, type ReservationState, type ReservationViolation } from './reservation.ts';
import type { ReservationFilter, ReservationRepository } from './reservation-repository.ts';

function toReservation(row: Selectable<ReservationsTable>): Reservation {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    stationId: row.station_id,
    evseId: row.evse_id,
    connectorType: row.connector_type,
    idToken: row.id_token,
    idTokenType: row.id_token_type,
    groupIdToken: row.group_id_token,
    groupIdTokenType: row.group_id_token_type,
    expiresAt: asDate(row.expires_at) as Date,
    state: row.state as ReservationState,
    reason: row.reason,
    commandId: row.command_id,
    transactionId: row.transaction_id,
    violations: (row.violations as Array<Record<string, unknown>>).map((v) => ({ ...(v as unknown as ReservationViolation), at: new Date(v.at as string) })),
    version: row.version,
    createdAt: asDate(row.created_at) as Date,
    updatedAt: asDate(row.updated_at) as Date,
    endedAt: asDate(row.ended_at),
  };
}

function toRow(r: Reservation) {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    station_id: r.stationId,
    evse_id: r.evseId,
    connector_type: r.connectorType,
    id_token: r.idToken,
    id_token_type: r.idTokenType,
    group_id_token: r.groupIdToken,
    group_id_token_type: r.groupIdTokenType,
    expires_at: r.expiresAt,
    state: r.state,
    reason: r.reason,
    command_id: r.commandId,
    transaction_id: r.transactionId,
    violations: JSON.stringify(r.violations.map((v) => ({ ...v, at: v.at.toISOString() }))),
    version: r.version,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    ended_at: r.endedAt,
  };
}

/** PostgreSQL's integer: a larger id names no reservation (and would fail the query). */
const INT32_MAX = 2_147_483_647;
const isId = (id: number) => Number.isInteger(id) && id >= 0 && id <= INT32_MAX;

export class SqlReservationRepository implements ReservationRepository {
  constructor(private readonly db: Database) {}

  async nextId(): Promise<number> {
    const { rows } = await sql<{ id: number | string }>`select nextval('reservation_ids') as id`.execute(this.db);
    return Number(rows[0]!.id);
  }

  async create(r: Reservation): Promise<void> {
    await this.db.insertInto('reservations').values(toRow(r)).execute();
  }

  async find(id: number): Promise<Reservation | null> {
    if (!isId(id)) return null;
    const row = await this.db.selectFrom('reservations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toReservation(row) : null;
  }

  async save(r: Reservation, expectedVersion: number): Promise<boolean> {
    const { id: _id, tenant_id: _tenant, station_id: _station, created_at: _created, ...changes } = toRow({ ...r, version: expectedVersion + 1 });
    const result = await this.db.updateTable('reservations').set(changes).where('id', '=', r.id).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async listByStation(stationId: string, filter: ReservationFilter): Promise<{ items: Reservation[]; total: number }> {
    let query = this.db.selectFrom('reservations').where('station_id', '=', stationId);
    if (filter.state) query = query.where('state', '=', filter.state);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toReservation), total: Number(count.total) };
  }

  async openOnStation(stationId: string): Promise<Reservation[]> {
    const rows = await this.db.selectFrom('reservations').selectAll().where('station_id', '=', stationId).where('state', 'in', OPEN_STATES).orderBy('id').execute();
    return rows.map(toReservation);
  }

  async expireDue(now: Date, reason: string): Promise<Reservation[]> {
    const rows = await this.db
      .updateTable('reservations')
      .set((eb) => ({ state: 'expired', reason, updated_at: now, ended_at: now, version: eb('version', '+', 1) }))
      .where('state', 'in', OPEN_STATES)
      .where('expires_at', '<=', now)
      .returningAll()
      .execute();
    return rows.map(toReservation);
  }

  async owner(id: number): Promise<{ tenantId: string; stationId: string } | null> {
    if (!isId(id)) return null;
    const row = await this.db.selectFrom('reservations').select(['tenant_id', 'station_id']).where('id', '=', id).executeTakeFirst();
    return row ? { tenantId: row.tenant_id, stationId: row.station_id } : null;
  }
}
