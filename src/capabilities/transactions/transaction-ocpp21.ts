/**
 * OCPP 2.1 <-> transactions. TransactionEvent keeps the 2.0.1 fields this
 * capability reads (OCPP 2.1 Part 2 E01-E15; the new cost/limit fields are
 * ignored for now), so the 2.0.1 translation serves.
 */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { transactionHandlers2x } from './transaction-ocpp201.ts';
import type { TransactionService } from './transaction-service.ts';

export function transactionHandlers21(service: TransactionService): OcppHandlerTable<'2.1'> {
  return { version: '2.1', owner: 'transactions', handlers: transactionHandlers2x(service) };
}
