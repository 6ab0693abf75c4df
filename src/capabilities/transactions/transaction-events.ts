/** The transactions capability's domain events (the bus: src/cluster/event-bus.ts). */
export {};

interface TransactionEventFields {
  stationId: string;
  transactionId: string;
  evseId: number | null;
  energyWh: number | null;
  /** After this change: a closed transaction's `transaction.updated` is a change after its end (a late real stop). */
  state?: 'active' | 'completed';
  /** The CSMS closed it (stuck session): energyWh is an estimate a later real stop may correct. */
  estimated?: boolean;
  /** The token that authorized it, once known (reservations check who charges on a reserved EVSE). */
  idToken?: string | null;
  /** The reservation it was started for (1.6 StartTransaction / 2.x TransactionEvent reservationId). */
  reservationId?: number | null;
}

declare module '../../cluster/event-bus.ts' {
  interface DomainEventMap {
    'transaction.started': TransactionEventFields;
    'transaction.updated': TransactionEventFields;
    'transaction.ended': TransactionEventFields;
  }
}
