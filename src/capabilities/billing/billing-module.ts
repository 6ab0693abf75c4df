/** The billing capability as the composition root plugs it in (issue 15): transactions priced, CDRs kept, running cost sent to stations. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { BillingService, isTimeZone, type BillingDeps } from './billing-service.ts';
import { SqlBillingRepository } from './billing-repository-sql.ts';
import { BooksKeeper } from './billing-books-service.ts';
import { billingRoutes, type BillingSites } from './billing-http.ts';
import type { TransactionService } from '../transactions/index.ts';
import type { CommandKind, CommandService } from '../commands/index.ts';
import { COST_UPDATED, DRIVER_COST, checkCostUpdated, checkDriverCost, type CostUpdatedParams, type DriverCostParams } from './billing-running-cost.ts';
import { RunningCostService } from './billing-running-cost-service.ts';
import { COST_UPDATED_REST, DRIVER_COST_REST } from './billing-running-cost-http.ts';
import { COSTMSG, displaysCost16, driverCostCall16 } from './billing-ocpp16.ts';
import { costUpdatedCall201 } from './billing-ocpp201.ts';
import { costUpdatedCall21 } from './billing-ocpp21.ts';

/** At most this many meter samples are read to price one session (a day at one per second). */
const MAX_SAMPLES = 100_000;

/**
 * A station's configuration as the CSMS last learnt it (the device-model capability keeps every
 * getConfiguration / setConfiguration outcome): read for the one 1.6 key that says a station shows cost.
 */
export interface BillingStationSettings {
  list(
    stationId: string,
    query: { variable: string; dialect: '1.6'; limit: number; offset: number },
  ): Promise<{ items: ReadonlyArray<{ attributes: ReadonlyArray<{ type: string; value: string | null }> }> }>;
}

export interface BillingModule extends CapabilityModule {
  readonly service: BillingService;
  readonly books: BooksKeeper;
  readonly runningCost: RunningCostService;
}

export function billingModule(
  { db, clock, timers, log, events, config, node }: Platform,
  deps: Pick<BillingDeps, 'tariffs' | 'stations' | 'tokens'> & { transactions: TransactionService; sites: BillingSites; commands: CommandService; configuration: BillingStationSettings },
): BillingModule {
  if (!isTimeZone(config.billing.defaultTimeZone)) throw new Error(`billing.defaultTimeZone: ${config.billing.defaultTimeZone} is not an IANA time zone`);
  const transactions = {
    transaction: (id: string) => deps.transactions.transaction(id),
    samples: (id: string) => deps.transactions.meterValues(id, { limit: MAX_SAMPLES }),
    signedMeterData: (id: string) => deps.transactions.signedMeterData(id),
  };
  const service = new BillingService({ ...deps, transactions, repo: new SqlBillingRepository(db), events, clock, log, defaultTimeZone: config.billing.defaultTimeZone });
  deps.transactions.useCostSource(service);
  const books = new BooksKeeper({
    billing: service,
    transactions,
    events,
    clock,
    timers,
    log,
    intervalMs: config.billing.booksSweepIntervalSec * 1000,
    lease: node.clustered ? { acquire: (ttlMs) => node.leases.acquire('billing.books', ttlMs) } : undefined,
  });

  const runningCost = new RunningCostService({
    billing: service,
    transactions: { transaction: transactions.transaction, resolve: (id) => deps.transactions.resolve(id) },
    tariffs: deps.tariffs,
    commands: deps.commands,
    displaysCost: async (stationId) => {
      // An unknown station (deleted meanwhile) shows nothing; the key as last read or set, Actual value.
      const read = await deps.configuration.list(stationId, { variable: COSTMSG.displayKey, dialect: '1.6', limit: 1, offset: 0 }).catch(() => null);
      return displaysCost16(read?.items[0]?.attributes.find((a) => a.type === 'Actual')?.value ?? null);
    },
    kindFor: { '1.6': DRIVER_COST, '2.0.1': COST_UPDATED, '2.1': COST_UPDATED },
    events,
    clock,
    log,
    intervalMs: config.billing.costUpdateIntervalSec * 1000,
  });
  const costUpdated: CommandKind<CostUpdatedParams> = {
    type: COST_UPDATED,
    rest: COST_UPDATED_REST,
    check: checkCostUpdated,
    prepare: (stationId, params) => runningCost.prepareCostUpdated(stationId, params),
    // 1.6 has no CostUpdated: its stations get californiaCost.
    toCall: { '2.0.1': costUpdatedCall201, '2.1': costUpdatedCall21 },
  };
  const driverCost: CommandKind<DriverCostParams> = {
    type: DRIVER_COST,
    rest: DRIVER_COST_REST,
    check: checkDriverCost,
    prepare: (stationId, params) => runningCost.prepareDriverCost(stationId, params),
    // A 1.6 extension: 2.x stations get costUpdated.
    toCall: { '1.6': driverCostCall16 },
  };
  deps.commands.register(costUpdated);
  deps.commands.register(driverCost);

  return {
    name: 'billing',
    service,
    books,
    runningCost,
    routes: [billingRoutes(service, deps.sites)],
    owners: { cdr: (id) => service.cdrOwner(id) },
    start: () => {
      books.start();
      runningCost.start();
    },
    stop: async () => {
      await runningCost.stop();
      await books.stop();
    },
  };
}
