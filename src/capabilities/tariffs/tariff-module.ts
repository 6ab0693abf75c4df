/** The tariffs capability as the composition root plugs it in (issue 15): versioned tariffs, a station's tariff; the cost engine is pure (tariff-cost.ts). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { TariffService, type TariffStations, type TariffTenants } from './tariff-service.ts';
import { SqlTariffRepository } from './tariff-repository-sql.ts';
import { tariffRoutes } from './tariff-http.ts';

export interface TariffModule extends CapabilityModule {
  readonly service: TariffService;
}

export function tariffModule({ db, clock }: Platform, deps: { stations: TariffStations; tenants: TariffTenants }): TariffModule {
  const service = new TariffService(new SqlTariffRepository(db), deps.stations, deps.tenants, clock);
  return { name: 'tariffs', service, routes: [tariffRoutes(service)], owners: { tariff: (id) => service.owner(id) } };
}
