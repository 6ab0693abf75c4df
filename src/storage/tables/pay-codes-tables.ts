/** Row types of the pay page's short codes (migration 0034-pay-codes; payments capability). */
import type { Timestamp } from './timestamp.ts';

export interface PayCodesTable {
  /** Eight characters of Crockford's base 32, printed on the sticker. */
  code: string;
  tenant_id: string;
  station_id: string;
  evse_id: number;
  created_at: Timestamp;
}

export interface PayCodeTables {
  pay_codes: PayCodesTable;
}
