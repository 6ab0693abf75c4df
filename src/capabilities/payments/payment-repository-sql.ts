/** Kysely adapter of the payments port: one SQL for PGlite and PostgreSQL. */
import { sql, type Selectable } from 'kysely';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { readInScope } from '../../storage/tenant-reads.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import { isUniqueViolation } from '../../storage/unique-violation.ts';
import type { PaymentHoldsTable } from '../../storage/tables/payments-tables.ts';
import { type HoldState, type PaymentHold } from './payment-hold.ts';
import type { HoldEvent, PaymentRepository } from './payment-repository.ts';

const OPEN_STATES = ['authorizing', 'authorized', 'capturing', 'releasing'] satisfies HoldState[];

function toHold(row: Selectable<PaymentHoldsTable>): PaymentHold {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    stationId: row.station_id,
    evseId: row.evse_id,
    idToken: row.id_token,
    transactionId: row.transaction_id,
    currency: row.currency,
    authorizedMinor: Number(row.authorized_minor),
    captureMinor: row.capture_minor === null ? null : Number(row.capture_minor),
    shortfallMinor: Number(row.shortfall_minor),
    cdrId: row.cdr_id,
    gatewayRef: row.gateway_ref,
    state: row.state as HoldState,
    increments: row.increments,
    exposureCapMinor: row.exposure_cap_minor === null ? null : Number(row.exposure_cap_minor),
    lastError: row.last_error,
    createdAt: asDate(row.created_at) as Date,
    updatedAt: asDate(row.updated_at) as Date,
    version: row.version,
  };
}

const columns = (h: PaymentHold, gateway: string) => ({
  tenant_id: h.tenantId,
  station_id: h.stationId,
  evse_id: h.evseId,
  id_token: h.idToken,
  transaction_id: h.transactionId,
  currency: h.currency,
  authorized_minor: h.authorizedMinor,
  capture_minor: h.captureMinor,
  shortfall_minor: h.shortfallMinor,
  cdr_id: h.cdrId,
  gateway,
  gateway_ref: h.gatewayRef,
  state: h.state,
  increments: h.increments,
  exposure_cap_minor: h.exposureCapMinor,
  last_error: h.lastError,
  updated_at: h.updatedAt,
  version: h.version,
});

export class SqlPaymentRepository implements PaymentRepository {
  constructor(
    private readonly db: Database,
    private readonly gateway: string,
  ) {}

  async create(hold: PaymentHold, event: HoldEvent): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('payment_holds').values({ id: hold.id, created_at: hold.createdAt, ...columns(hold, this.gateway) }).execute();
      await trx.insertInto('payment_hold_events').values({ hold_id: hold.id, tenant_id: hold.tenantId, state: event.state, detail: JSON.stringify(event.detail), at: event.at }).execute();
    });
  }

  async save(hold: PaymentHold, event: HoldEvent): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable('payment_holds').set(columns(hold, this.gateway)).where('id', '=', hold.id).where('version', '=', hold.version - 1).executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      await trx.insertInto('payment_hold_events').values({ hold_id: hold.id, tenant_id: hold.tenantId, state: event.state, detail: JSON.stringify(event.detail), at: event.at }).execute();
      return true;
    });
  }

  private async one(column: 'id' | 'id_token' | 'transaction_id', value: string): Promise<PaymentHold | null> {
    const row = await this.db.selectFrom('payment_holds').selectAll().where(column, '=', value).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return row ? toHold(row) : null;
  }

  find(id: string) {
    return this.one('id', id);
  }

  findByToken(idToken: string) {
    return this.one('id_token', idToken);
  }

  findByTransaction(transactionId: string) {
    return this.one('transaction_id', transactionId);
  }

  async open(limit: number): Promise<PaymentHold[]> {
    // Intents left half done first, then holds no session has claimed, then the others (long sessions would fill the page).
    const rows = await this.db
      .selectFrom('payment_holds')
      .selectAll()
      .where('state', 'in', OPEN_STATES)
      .orderBy(sql`case when state <> 'authorized' then 0 when transaction_id is null then 1 else 2 end`)
      .orderBy('updated_at')
      .limit(limit)
      .execute();
    return rows.map(toHold);
  }

  list(scope: TenantScope, filter: { stationId?: string; state?: string; limit: number; offset: number }) {
    return readInScope(this.db, scope, async (db) => {
      let query = db.selectFrom('payment_holds').where(inScope({ station: 'payment_holds.station_id', tenant: 'payment_holds.tenant_id' }, scope));
      if (filter.stationId !== undefined) query = query.where('station_id', '=', filter.stationId);
      if (filter.state !== undefined) query = query.where('state', '=', filter.state);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('created_at', 'desc').limit(filter.limit).offset(filter.offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toHold), total: Number(count.n) };
    });
  }

  async events(holdId: string): Promise<HoldEvent[]> {
    const rows = await this.db.selectFrom('payment_hold_events').selectAll().where('hold_id', '=', holdId).orderBy('id').execute();
    return rows.map((row) => ({ holdId: row.hold_id, state: row.state, detail: row.detail, at: asDate(row.at) as Date }));
  }

  async forgetDelivery(eventId: string): Promise<void> {
    await this.db.deleteFrom('payment_webhook_events').where('id', '=', eventId).execute();
  }

  async firstDelivery(eventId: string, type: string, at: Date): Promise<boolean> {
    try {
      await this.db.insertInto('payment_webhook_events').values({ id: eventId, type, received_at: at }).execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
