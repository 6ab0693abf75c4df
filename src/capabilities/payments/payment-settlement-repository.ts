/** Storage port of settlements reported by stations (payment-settlement.ts), named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { Settlement, SettlementView } from './payment-settlement.ts';

export interface SettlementRepository {
  /** Keeps a settlement; false when the same message (station, PSP reference, status, time) was kept before. */
  add(settlement: Settlement): Promise<boolean>;
  /** A station's settlements, newest first, each with our transaction when the station's id names one. */
  list(scope: TenantScope, stationId: string, page: { limit: number; offset: number }): Promise<{ items: SettlementView[]; total: number }>;
}
