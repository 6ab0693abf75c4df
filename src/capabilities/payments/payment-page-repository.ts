/** Storage port of the pay page's short codes (one per EVSE, never changed), named by intent. */

export interface PayCode {
  code: string;
  tenantId: string;
  stationId: string;
  evseId: number;
  createdAt: Date;
}

export interface PayCodeRepository {
  /** The EVSE's code, or null when it has none yet. */
  ofEvse(stationId: string, evseId: number): Promise<PayCode | null>;
  /** The EVSE a code names, or null. */
  find(code: string): Promise<PayCode | null>;
  /** Stores a new code; false (nothing written) when the code is taken or the EVSE already has one. */
  add(code: PayCode): Promise<boolean>;
}
