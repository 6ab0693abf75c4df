/**
 * The tariffs capability as the composition root plugs it in (issue 15): versioned tariffs, a
 * station's tariff (the cost engine is pure: tariff-cost.ts); and, for OCPP 2.1 stations that
 * price locally, the tariff command kinds and the check of their own costs against our CDRs.
 */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { CommandKind } from '../commands/index.ts';
import { TariffService, type TariffStations, type TariffTenants } from './tariff-service.ts';
import { SqlTariffRepository } from './tariff-repository-sql.ts';
import { tariffRoutes } from './tariff-http.ts';
import {
  CHANGE_TRANSACTION_TARIFF,
  CLEAR_TARIFFS,
  GET_TARIFFS,
  SET_DEFAULT_TARIFF,
  TARIFF_ENABLED,
  checkChangeTransactionTariff,
  checkClearTariffs,
  type ChangeTransactionTariffParams,
  type ClearTariffsParams,
  type GetTariffsParams,
  type SetDefaultTariffParams,
} from './tariff-local-pricing.ts';
import { LocalPricingService } from './tariff-local-pricing-service.ts';
import { CHANGE_TRANSACTION_TARIFF_REST, CLEAR_TARIFFS_REST, GET_TARIFFS_REST, SET_DEFAULT_TARIFF_REST, stationCostRoutes } from './tariff-local-pricing-http.ts';
import { tariffTo21 } from './tariff-ocpp21.ts';
import { changeTransactionTariffCall21, clearTariffsCall21, getTariffsCall21, setDefaultTariffCall21 } from './tariff-commands-ocpp21.ts';
import { StationCostService, type CheckedCdr } from './tariff-station-cost-service.ts';
import { SqlStationCostRepository } from './tariff-station-cost-repository-sql.ts';

/**
 * A station's configuration as the CSMS last learnt it (the device-model capability keeps reports
 * and configuration reads): read for TariffCostCtrlr.Enabled[Tariff].
 */
export interface TariffStationSettings {
  list(
    stationId: string,
    query: { component: string; variable: string; limit: number; offset: number },
  ): Promise<{ items: ReadonlyArray<{ variable: { name: string; instance: string | null } | null; attributes: ReadonlyArray<{ type: string; value: string | null }> }> }>;
}

export interface TariffModuleDeps {
  stations: TariffStations & { get(stationId: string): Promise<{ tenantId: string; labels: Record<string, string> }> };
  tenants: TariffTenants;
  commands: { register<P extends Record<string, unknown>>(kind: CommandKind<P>): void };
  transactions: {
    resolve(id: string): Promise<{ stationId: string; ocppTransactionId: string } | null>;
    /** A transaction's timeline summaries, in the order received. */
    timeline(id: string): Promise<ReadonlyArray<Readonly<Record<string, unknown>>>>;
  };
  configuration: TariffStationSettings;
  /** A CDR (billing is built after this capability: called only once CDRs exist). */
  cdr(id: string): Promise<CheckedCdr>;
}

export interface TariffModule extends CapabilityModule {
  readonly service: TariffService;
  readonly localPricing: LocalPricingService;
  readonly stationCosts: StationCostService;
}

export function tariffModule({ db, clock, events, log }: Platform, deps: TariffModuleDeps): TariffModule {
  const repo = new SqlTariffRepository(db);
  const service = new TariffService(repo, deps.stations, deps.tenants, clock);

  const localPricing = new LocalPricingService({
    tariffs: { find: (id) => repo.find(id) },
    stations: { station: async (id) => ((await deps.stations.owner(id)) ? deps.stations.get(id) : null) },
    tariffEnabled: async (stationId) => {
      // The variable as last reported or read, Actual value; a station that never said is unknown.
      const read = await deps.configuration.list(stationId, { component: TARIFF_ENABLED.component, variable: TARIFF_ENABLED.variable, limit: 20, offset: 0 });
      const entry = read.items.find((item) => item.variable?.instance?.toLowerCase() === TARIFF_ENABLED.instance.toLowerCase());
      return entry?.attributes.find((a) => a.type === 'Actual')?.value ?? null;
    },
    transactions: deps.transactions,
    untranslatable: (tariff, id) => {
      const translated = tariffTo21(tariff, id);
      return translated.ok ? null : translated;
    },
  });
  const setDefaultTariff: CommandKind<SetDefaultTariffParams> = {
    type: SET_DEFAULT_TARIFF,
    rest: SET_DEFAULT_TARIFF_REST,
    prepare: (stationId, params) => localPricing.prepareSetDefault(stationId, params),
    toCall: { '2.1': setDefaultTariffCall21 },
  };
  const changeTransactionTariff: CommandKind<ChangeTransactionTariffParams> = {
    type: CHANGE_TRANSACTION_TARIFF,
    rest: CHANGE_TRANSACTION_TARIFF_REST,
    check: checkChangeTransactionTariff,
    prepare: (stationId, params) => localPricing.prepareChange(stationId, params),
    toCall: { '2.1': changeTransactionTariffCall21 },
  };
  const getTariffs: CommandKind<GetTariffsParams> = { type: GET_TARIFFS, rest: GET_TARIFFS_REST, toCall: { '2.1': getTariffsCall21 } };
  const clearTariffs: CommandKind<ClearTariffsParams> = { type: CLEAR_TARIFFS, rest: CLEAR_TARIFFS_REST, check: checkClearTariffs, toCall: { '2.1': clearTariffsCall21 } };
  deps.commands.register(setDefaultTariff);
  deps.commands.register(changeTransactionTariff);
  deps.commands.register(getTariffs);
  deps.commands.register(clearTariffs);

  const stationCosts = new StationCostService({ repo: new SqlStationCostRepository(db), timeline: deps.transactions.timeline, cdr: deps.cdr, events, clock, log });

  return {
    name: 'tariffs',
    service,
    localPricing,
    stationCosts,
    routes: [tariffRoutes(service), stationCostRoutes(stationCosts)],
    owners: { tariff: (id) => service.owner(id) },
    start: () => stationCosts.start(),
    stop: () => stationCosts.stop(),
  };
}
