/** The billing capability, as other capabilities and the composition root see it. */
export { billingModule, type BillingModule, type BillingStationSettings } from './billing-module.ts';
export { BillingService, type SessionCost } from './billing-service.ts';
export { RunningCostService } from './billing-running-cost-service.ts';
export type { Cdr } from './billing-cdr.ts';
export { SqlBillingRepository } from './billing-repository-sql.ts';
