/** The transactions capability, as other capabilities and the composition root see it. */
export { TransactionService, type TokenAuthority } from './transaction-service.ts';
export { SqlTransactionRepository } from './transaction-repository-sql.ts';
export { transactionHandlers16 } from './transaction-ocpp16.ts';
export { samplesFrom2x, transactionHandlers201 } from './transaction-ocpp201.ts';
export { transactionHandlers21 } from './transaction-ocpp21.ts';
export { transactionRoutes } from './transaction-http.ts';
export type { CloseEstimate, MeterSample, Transaction, TransactionFlag } from './transaction.ts';
export { energyWh } from './transaction.ts';
export type { TransactionCost, TransactionCostSource } from './transaction-service.ts';
export { transactionModule, type TransactionModule } from './transaction-module.ts';
