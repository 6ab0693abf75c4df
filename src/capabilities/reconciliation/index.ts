/** The reconciliation capability, as other capabilities and the composition root see it. */
export { reconciliationModule, type ReconciliationModule } from './reconciliation-module.ts';
export { ReconciliationService, type ReconciliationGateway, type Reconciliation } from './reconciliation-service.ts';
export { SqlReconciliationRepository } from './reconciliation-repository-sql.ts';
export type { Discrepancy, DiscrepancyKind, Period } from './reconciliation.ts';
export type { GatewayRecord } from './reconciliation-gateway.ts';
