/**
 * What every capability gives the composition root: its OCPP handler tables (any
 * version), its REST routes, and its jobs' start and stop. app.ts builds the
 * modules in dependency order, merges their tables into one router and their
 * routes into one API, starts them in order and stops them in reverse. A new
 * capability is one more `<capability>-module.ts` and one more line in app.ts.
 *
 * Migrations are not part of a module: they are one ordered history of one
 * database, which the test template and the benchmarks migrate without
 * composing the application (src/storage/migrator.ts; ADR 0019).
 */
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Clock, Timers } from './kernel/time.ts';
import type { Storage } from './storage/database.ts';
import type { ClusterPort } from './cluster/cluster-port.ts';
import type { ClusterMode } from './cluster/cluster-mode.ts';
import type { EventBus } from './cluster/event-bus.ts';
import type { AnyOcppHandlerTable } from './ocpp/ocpp-handler.ts';
import type { RoutePlugin } from './http/http-server.ts';
import type { OwnerLookup } from './http/http-auth.ts';

export interface CapabilityModule {
  readonly name: string;
  readonly ocpp?: readonly AnyOcppHandlerTable[];
  readonly routes?: readonly RoutePlugin[];
  /**
   * Who owns the resources the capability's routes name, per resource kind (`station`, `token`, ...):
   * the HTTP edge answers 404 for one outside the caller's tenant before the handler runs.
   */
  readonly owners?: Readonly<Record<string, OwnerLookup>>;
  /** Loads what the capability keeps in memory and starts its jobs; called in module order before the edges open. */
  start?(): Promise<void> | void;
  /**
   * Stops jobs that would act on the network going away (a sweep that sees every station
   * disconnect); called in reverse order before the OCPP edge closes.
   */
  quiesce?(): Promise<void> | void;
  /** Flushes and releases; called in reverse order after the OCPP edge closed, before the HTTP edge closes. */
  stop?(): Promise<void> | void;
}

/** What every module may use: settings, storage, the cluster, events, time and the log. */
export interface Platform {
  config: Config;
  db: Storage['db'];
  cluster: ClusterPort;
  events: EventBus;
  node: Pick<ClusterMode, 'nodeId' | 'clustered' | 'leases'>;
  clock: Clock;
  timers: Timers;
  log: Logger;
}

/** A lookup that answers `not-found` becomes null; any other failure stays a failure. */
export function nullIfNotFound<T>(lookup: Promise<T>): Promise<T | null> {
  return lookup.catch((error: unknown) => ((error as { code?: unknown }).code === 'not-found' ? null : Promise.reject(error)));
}
