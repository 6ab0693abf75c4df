/** Storage port of the payments capability, named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { PaymentHold } from './payment-hold.ts';

export interface HoldEvent {
  holdId: string;
  state: string;
  detail: Record<string, unknown>;
  at: Date;
}

export interface PaymentRepository {
  /** A new hold and its first log entry. */
  create(hold: PaymentHold, event: HoldEvent): Promise<void>;
  /** Writes the hold over `hold.version - 1` with its log entry; false (nothing written) when it moved on meanwhile. */
  save(hold: PaymentHold, event: HoldEvent): Promise<boolean>;
  find(id: string): Promise<PaymentHold | null>;
  findByToken(idToken: string): Promise<PaymentHold | null>;
  findByTransaction(transactionId: string): Promise<PaymentHold | null>;
  /** Holds not in a final state, oldest change first. */
  open(limit: number): Promise<PaymentHold[]>;
  list(scope: TenantScope, filter: { stationId?: string; state?: string; limit: number; offset: number }): Promise<{ items: PaymentHold[]; total: number }>;
  events(holdId: string): Promise<HoldEvent[]>;
  /** Records a webhook event id; false when it was seen before. */
  firstDelivery(eventId: string, type: string, at: Date): Promise<boolean>;
  /** Forgets a delivery that could not be applied (its retry is then a first delivery). */
  forgetDelivery(eventId: string): Promise<void>;
}
