/**
 * Composition root: config -> storage -> services -> edges. No DI container:
 * every dependency is passed by hand, so this file is the map of the system.
 * `startChargebridge` is what main.ts, the tests and the benchmarks start.
 */
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { resolveAdminToken, type AdminToken } from './admin-token.ts';
import { createLogger } from './logging.ts';
import { systemClock } from './kernel/time.ts';
import { openStorage, type Storage, type StorageTarget } from './storage/database.ts';
import { migrateToLatest } from './storage/migrator.ts';
import { InProcessCluster } from './cluster/cluster-in-process.ts';
import { InProcessEventBus, type EventBus } from './cluster/event-bus.ts';
import type { ClusterPort } from './cluster/cluster-port.ts';
import { OcppRouter } from './ocpp/ocpp-router.ts';
import { OcppServer } from './ocpp/ocpp-server.ts';
import { createHttpServer, type HttpApp } from './http/http-server.ts';
import {
  SqlStationRepository,
  StationService,
  stationHandlers16,
  stationHandlers201,
  stationHandlers21,
  stationRoutes,
} from './capabilities/stations/index.ts';
import {
  AuthorizationService,
  AutochargeGuard,
  LocalListService,
  SqlAutochargeRepository,
  SqlLocalListRepository,
  localListRoutes,
  localListTranslator16,
  localListTranslator2x,
  SqlTokenRepository,
  authorizationHandlers16,
  authorizationHandlers201,
  authorizationHandlers21,
  authorizationRoutes,
} from './capabilities/authorization/index.ts';
import {
  SqlTransactionRepository,
  TransactionService,
  transactionHandlers16,
  transactionHandlers201,
  transactionHandlers21,
  transactionRoutes,
} from './capabilities/transactions/index.ts';
import { CommandService, SqlCommandRepository, commandRoutes, commandTranslators, type TransactionResolver } from './capabilities/commands/index.ts';
import { SqlStuckRepository, StuckService, stuckRoutes, type StationSnapshotSource } from './capabilities/stuck/index.ts';

export const VERSION = '0.1.0';

export interface Chargebridge {
  config: Config;
  log: Logger;
  storage: Storage;
  http: HttpApp;
  ocpp: OcppServer;
  cluster: ClusterPort;
  events: EventBus;
  stations: StationService;
  authorization: AuthorizationService;
  transactions: TransactionService;
  commands: CommandService;
  stuck: StuckService;
  adminToken: AdminToken;
  /** Bound port (useful when the config asked for port 0). */
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Tests inject a ready PGlite or a logger; production passes nothing. */
  storage?: StorageTarget;
  log?: Logger;
}

export async function startChargebridge(config: Config, options: StartOptions = {}): Promise<Chargebridge> {
  const log = options.log ?? createLogger(config.logLevel);
  const target: StorageTarget = options.storage ?? (config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
  const storage = await openStorage(target);
  const applied = await migrateToLatest(storage.db);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');

  const adminToken = resolveAdminToken(config.adminToken, config.dataDir);
  const cluster = new InProcessCluster();
  const events = new InProcessEventBus();
  const stations = new StationService(new SqlStationRepository(storage.db), cluster, events, systemClock, log, {
    autoRegister: config.autoRegister,
    autoRegisterStatus: config.autoRegisterStatus,
    boot: { heartbeatIntervalSec: config.ocpp.heartbeatIntervalSec, retryIntervalSec: config.ocpp.bootRetryIntervalSec },
    presenceFlushMs: config.ocpp.presenceFlushMs,
  });
  stations.start();
  const autocharge = new AutochargeGuard(
    new SqlAutochargeRepository(storage.db),
    { concurrentWindowSec: config.authorization.autochargeConcurrentWindowSec, travelWindowSec: config.authorization.autochargeTravelWindowSec },
    (stationId) => stations.siteOf(stationId),
    systemClock,
    log,
  );
  const authorization = new AuthorizationService(new SqlTokenRepository(storage.db), systemClock, autocharge);
  await authorization.start();
  const localLists = new LocalListService(
    new SqlLocalListRepository(storage.db),
    authorization,
    cluster,
    events,
    { '1.6': localListTranslator16, '2.0.1': localListTranslator2x, '2.1': localListTranslator2x },
    systemClock,
    log,
  );
  await localLists.start();
  const transactions = new TransactionService(new SqlTransactionRepository(storage.db), events, systemClock, randomUUID, authorization, log);

  // A stop command names a transaction by our id; a station's own id (1.6 integer, 2.x string) on the addressed station works too.
  const transactionResolver: TransactionResolver = {
    resolve: async (transactionId, context) =>
      (await transactions.resolve(transactionId)) ?? (context ? { stationId: context.stationId, ocppTransactionId: transactionId } : null),
  };
  const commands = new CommandService(
    {
      repo: new SqlCommandRepository(storage.db),
      cluster,
      events,
      clock: systemClock,
      log,
      stations: {
        exists: (id) =>
          stations.get(id).then(
            () => true,
            (error: unknown) => ((error as { code?: unknown }).code === 'not-found' ? false : Promise.reject(error)),
          ),
      },
      transactions: transactionResolver,
      translators: commandTranslators,
    },
    {
      defaultExpirySec: config.commands.defaultExpirySec,
      maxWaitSec: config.commands.maxWaitSec,
      sweepIntervalMs: config.commands.sweepIntervalSec * 1000,
      connectGraceMs: config.commands.connectGraceSec * 1000,
    },
  );
  await commands.start();

  // Stuck transactions read stations through this view (connection, last boot, connector states).
  const stationSnapshots: StationSnapshotSource = {
    snapshot: (id) =>
      stations.get(id).then(
        (view) => ({
          online: view.connected,
          connectedAt: view.connectedAt,
          disconnectedAt: view.disconnectedAt,
          lastBootAt: view.lastBootAt,
          siteId: view.siteId,
          connectors: view.evses.flatMap((evse) => evse.connectors.map((c) => ({ evseId: evse.id, status: c.status, ocppStatus: c.ocppStatus, reportedAt: c.reportedAt }))),
        }),
        (error: unknown) => ((error as { code?: unknown }).code === 'not-found' ? null : Promise.reject(error)),
      ),
  };
  const stuck = new StuckService(
    { repo: new SqlStuckRepository(storage.db), transactions, commands, stations: stationSnapshots, events, clock: systemClock, log },
    { sweepIntervalMs: config.stuck.sweepIntervalSec * 1000, defaults: config.stuck.defaults, sites: config.stuck.sites },
  );
  if (config.stuck.enabled) await stuck.start();

  const router = new OcppRouter([
    stationHandlers16(stations),
    stationHandlers201(stations),
    stationHandlers21(stations),
    authorizationHandlers16(authorization),
    authorizationHandlers201(authorization),
    authorizationHandlers21(authorization),
    transactionHandlers16(transactions),
    transactionHandlers201(transactions),
    transactionHandlers21(transactions),
  ]);
  const ocpp = new OcppServer({
    protocols: config.ocpp.protocols,
    maxFrameBytes: config.ocpp.maxFrameBytes,
    pingIntervalMs: config.ocpp.pingIntervalSec * 1000,
    cluster,
    lifecycle: stations,
    log,
    session: {
      router,
      log,
      callTimeoutMs: config.ocpp.callTimeoutSec * 1000,
      maxQueuedCalls: config.ocpp.maxQueuedCalls,
      floodMessagesPerSec: config.ocpp.floodMessagesPerSec,
      floodBurst: config.ocpp.floodBurst,
      lifecycle: stations,
    },
  });

  const http = await createHttpServer({
    adminToken: adminToken.token,
    log,
    version: VERSION,
    routes: [stationRoutes(stations), authorizationRoutes(authorization), localListRoutes(localLists), transactionRoutes(transactions), commandRoutes(commands), stuckRoutes(stuck)],
    ready: async () => {
      try {
        await storage.db.selectFrom('stations').select('id').limit(1).execute();
        return { ok: true, checks: { database: 'ok' } };
      } catch (error) {
        return { ok: false, checks: { database: (error as Error).message } };
      }
    },
  });
  ocpp.attachTo(http.server);
  // A reconnect storm after an outage opens thousands of sockets at once; Node's default
  // accept backlog (511) makes the kernel drop handshakes into TCP retransmission backoff.
  await http.listen({ host: config.host, port: config.port, backlog: 4096 });
  const port = (http.server.address() as AddressInfo).port;

  let stopped = false;
  return {
    config,
    log,
    storage,
    http,
    ocpp,
    cluster,
    events,
    stations,
    authorization,
    transactions,
    commands,
    stuck,
    adminToken,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stuck.stop();
      await ocpp.close();
      // Before http.close(): answers requests waiting on ?wait= so the server can close.
      await commands.stop();
      await http.close();
      await stations.stop();
      localLists.stop();
      await authorization.stop();
      await cluster.close();
      await storage.close();
    },
  };
}
