/** The transactions capability as the composition root plugs it in: one version-neutral transaction model. */
import { randomUUID } from 'node:crypto';
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { TransactionService, type TokenAuthority } from './transaction-service.ts';
import { SqlTransactionRepository } from './transaction-repository-sql.ts';
import { transactionHandlers16 } from './transaction-ocpp16.ts';
import { transactionHandlers201 } from './transaction-ocpp201.ts';
import { transactionHandlers21 } from './transaction-ocpp21.ts';
import { transactionRoutes } from './transaction-http.ts';

export interface TransactionModule extends CapabilityModule {
  readonly service: TransactionService;
}

export function transactionModule({ db, events, clock, log }: Platform, tokens: TokenAuthority): TransactionModule {
  const service = new TransactionService(new SqlTransactionRepository(db), events, clock, randomUUID, tokens, log);
  return {
    name: 'transactions',
    service,
    ocpp: [transactionHandlers16(service), transactionHandlers201(service), transactionHandlers21(service)],
    routes: [transactionRoutes(service)],
    owners: { transaction: (id) => service.owner(id) },
  };
}
