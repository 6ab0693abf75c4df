/** The tariffs capability, as other capabilities and the composition root see it. */
export { tariffModule, type TariffModule } from './tariff-module.ts';
export { TariffService } from './tariff-service.ts';
export { priceSession, type PricedSession, type SessionUsage } from './tariff-cost.ts';
export type { TariffModel } from './tariff.ts';
