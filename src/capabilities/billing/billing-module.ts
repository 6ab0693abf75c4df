/** The billing capability as the composition root plugs it in (issue 15): transactions priced, CDRs kept. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { BillingService, isTimeZone, type BillingDeps } from './billing-service.ts';
import { SqlBillingRepository } from './billing-repository-sql.ts';
import { BooksKeeper } from './billing-books-service.ts';
import { billingRoutes, type BillingSites } from './billing-http.ts';
import type { TransactionService } from '../transactions/index.ts';

/** At most this many meter samples are read to price one session (a day at one per second). */
const MAX_SAMPLES = 100_000;

export interface BillingModule extends CapabilityModule {
  readonly service: BillingService;
  readonly books: BooksKeeper;
}

export function billingModule(
  { db, clock, timers, log, events, config, node }: Platform,
  deps: Pick<BillingDeps, 'tariffs' | 'stations' | 'tokens'> & { transactions: TransactionService; sites: BillingSites },
): BillingModule {
  if (!isTimeZone(config.billing.defaultTimeZone)) throw new Error(`billing.defaultTimeZone: ${config.billing.defaultTimeZone} is not an IANA time zone`);
  const transactions = {
    transaction: (id: string) => deps.transactions.transaction(id),
    samples: (id: string) => deps.transactions.meterValues(id, { limit: MAX_SAMPLES }),
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
  return {
    name: 'billing',
    service,
    books,
    routes: [billingRoutes(service, deps.sites)],
    owners: { cdr: (id) => service.cdrOwner(id) },
    start: () => books.start(),
    stop: () => books.stop(),
  };
}
