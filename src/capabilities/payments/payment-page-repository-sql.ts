/** Kysely adapter of the short-code port: one SQL for PGlite and PostgreSQL. */
import type { Selectable } from 'kysely';
import type { Database } from '../../storage/database.ts';
import type { PayCodesTable } from '../../storage/tables/pay-codes-tables.ts';
import type { PayCode, PayCodeRepository } from './payment-page-repository.ts';

const toCode = (row: Selectable<PayCodesTable>): PayCode => ({ code: row.code, tenantId: row.tenant_id, stationId: row.station_id, evseId: row.evse_id, createdAt: new Date(row.created_at) });

export class SqlPayCodeRepository implements PayCodeRepository {
  constructor(private readonly db: Database) {}

  async ofEvse(stationId: string, evseId: number): Promise<PayCode | null> {
    const row = await this.db.selectFrom('pay_codes').selectAll().where('station_id', '=', stationId).where('evse_id', '=', evseId).executeTakeFirst();
    return row ? toCode(row) : null;
  }

  async find(code: string): Promise<PayCode | null> {
    const row = await this.db.selectFrom('pay_codes').selectAll().where('code', '=', code).executeTakeFirst();
    return row ? toCode(row) : null;
  }

  async add(code: PayCode): Promise<boolean> {
    // Either unique key may be taken (a code drawn twice, or two first requests for one EVSE): nothing is written then.
    const result = await this.db
      .insertInto('pay_codes')
      .values({ code: code.code, tenant_id: code.tenantId, station_id: code.stationId, evse_id: code.evseId, created_at: code.createdAt })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
