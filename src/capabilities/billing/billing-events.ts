/** The billing capability's domain events (the bus: src/cluster/event-bus.ts). */
export {};

declare module '../../cluster/event-bus.ts' {
  interface DomainEventMap {
    /** A CDR was written: a transaction's first, or a credit and a new one correcting it. */
    'cdr.created': {
      stationId: string;
      cdrId: string;
      transactionId: string;
      kind: 'debit' | 'credit';
      currency: string | null;
      /** Null when the session had no tariff. */
      totalInclTaxMinor: number | null;
    };
  }
}
