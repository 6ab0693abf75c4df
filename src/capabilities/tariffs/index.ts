/** The tariffs capability, as other capabilities and the composition root see it. */
export { tariffModule, type TariffModule } from './tariff-module.ts';
export { TariffService, type ResolvedTariff } from './tariff-service.ts';
export type { PricingContext } from './tariff-assignment.ts';
export { priceSession, type CostPeriod, type MeterSample, type PricedSession, type SessionUsage } from './tariff-cost.ts';
export type { TariffModel } from './tariff.ts';
