/** Kysely adapter of the settlements port: one SQL for PGlite and PostgreSQL. */
import type { Selectable } from 'kysely';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import { readInScope } from '../../storage/tenant-reads.ts';
import { inScope } from '../../storage/tenant-scope-sql.ts';
import type { PaymentSettlementsTable } from '../../storage/tables/station-cost-tables.ts';
import type { Settlement, SettlementStatus, SettlementView, VatCompany } from './payment-settlement.ts';
import type { SettlementRepository } from './payment-settlement-repository.ts';

function toSettlement(row: Selectable<PaymentSettlementsTable>): Settlement {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    stationId: row.station_id,
    ocppTransactionId: row.ocpp_transaction_id,
    pspRef: row.psp_ref,
    status: row.status as SettlementStatus,
    statusInfo: row.status_info,
    amount: row.amount,
    settledAt: asDate(row.settled_at) as Date,
    receiptId: row.receipt_id,
    receiptUrl: row.receipt_url,
    vatNumber: row.vat_number,
    vatCompany: row.vat_company as unknown as VatCompany | null,
    receivedAt: asDate(row.received_at) as Date,
  };
}

export class SqlSettlementRepository implements SettlementRepository {
  constructor(private readonly db: Database) {}

  async add(s: Settlement): Promise<boolean> {
    const result = await this.db
      .insertInto('payment_settlements')
      .values({
        id: s.id,
        tenant_id: s.tenantId,
        station_id: s.stationId,
        ocpp_transaction_id: s.ocppTransactionId,
        psp_ref: s.pspRef,
        status: s.status,
        status_info: s.statusInfo,
        amount: s.amount,
        settled_at: s.settledAt,
        receipt_id: s.receiptId,
        receipt_url: s.receiptUrl,
        vat_number: s.vatNumber,
        vat_company: s.vatCompany === null ? null : JSON.stringify(s.vatCompany),
        received_at: s.receivedAt,
      })
      // The station retries a message it got no answer to: the same settlement is kept once.
      .onConflict((oc) => oc.columns(['station_id', 'psp_ref', 'status', 'settled_at']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  list(scope: TenantScope, stationId: string, page: { limit: number; offset: number }): Promise<{ items: SettlementView[]; total: number }> {
    return readInScope(this.db, scope, async (db) => {
      const base = db
        .selectFrom('payment_settlements')
        .where(inScope({ station: 'payment_settlements.station_id', tenant: 'payment_settlements.tenant_id' }, scope))
        .where('payment_settlements.station_id', '=', stationId);
      // Our transaction is found when read: the settlement may have arrived before the transaction's events.
      const rows = await base
        .leftJoin('transactions', (join) =>
          join.onRef('transactions.station_id', '=', 'payment_settlements.station_id').onRef('transactions.ocpp_transaction_id', '=', 'payment_settlements.ocpp_transaction_id'),
        )
        .selectAll('payment_settlements')
        .select('transactions.id as transaction_id')
        .orderBy('payment_settlements.settled_at', 'desc')
        .orderBy('payment_settlements.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst();
      return { items: rows.map((row) => ({ ...toSettlement(row), transactionId: row.transaction_id })), total: Number(counted?.n ?? 0) };
    });
  }
}
