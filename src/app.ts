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
import { systemTime, type TimeSource } from './kernel/time.ts';
import { openStorage, type Storage, type StorageTarget } from './storage/database.ts';
import { migrateToLatest } from './storage/migrator.ts';
import type { EventBus } from './cluster/event-bus.ts';
import type { ClusterPort } from './cluster/cluster-port.ts';
import { openClusterMode, FORWARD_SLACK_MS, type ClusterMode } from './cluster/cluster-mode.ts';
import { OcppRouter } from './ocpp/ocpp-router.ts';
import { OcppServer } from './ocpp/ocpp-server.ts';
import { createHttpServer, type HttpApp } from './http/http-server.ts';
import { eventStreamRoutes } from './http/http-event-stream.ts';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  SqlStationRepository,
  StationService,
  stationHandlers16,
  stationHandlers201,
  stationHandlers21,
  stationRoutes,
  StationMessageLog,
  stationMessageLogRoutes,
} from './capabilities/stations/index.ts';
import { OverviewService, SqlOverviewRepository, overviewRoutes } from './capabilities/overview/index.ts';
import {
  AuthorizationService,
  AutochargeGuard,
  LocalListService,
  OfflineSettingsService,
  syncAuthorizationAcrossNodes,
  SqlAutochargeRepository,
  SqlOfflineSettingsRepository,
  offlineSettingKeys16,
  offlineSettingKeys2x,
  offlineSettingsRoutes,
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

/** A lookup that answers `not-found` becomes null; any other failure stays a failure. */
function nullIfNotFound<T>(lookup: Promise<T>): Promise<T | null> {
  return lookup.catch((error: unknown) => ((error as { code?: unknown }).code === 'not-found' ? null : Promise.reject(error)));
}

export interface Chargebridge {
  config: Config;
  log: Logger;
  storage: Storage;
  http: HttpApp;
  ocpp: OcppServer;
  cluster: ClusterPort;
  events: EventBus;
  /** Which node this is, and whether it shares the stations with others (NATS). */
  node: Pick<ClusterMode, 'nodeId' | 'clustered' | 'leases'>;
  stations: StationService;
  authorization: AuthorizationService;
  transactions: TransactionService;
  commands: CommandService;
  stuck: StuckService;
  adminToken: AdminToken;
  /** Whether the built operator console is served at /. */
  consoleBuilt: boolean;
  /** Bound port (useful when the config asked for port 0). */
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Tests inject a ready PGlite or a logger; production passes nothing. */
  storage?: StorageTarget;
  log?: Logger;
  /** The clock and timers of the domain (tests drive a fake one instead of sleeping); default the system's. */
  time?: TimeSource;
}

export async function startChargebridge(config: Config, options: StartOptions = {}): Promise<Chargebridge> {
  const log = options.log ?? createLogger(config.logLevel);
  const time = options.time ?? systemTime;
  const clock = time.clock;
  const target: StorageTarget = options.storage ?? (config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
  const storage = await openStorage(target);
  const applied = await migrateToLatest(storage.db);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');

  const adminToken = resolveAdminToken(config.adminToken, config.dataDir);
  const node = await openClusterMode({ ...config.cluster, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 }, storage.db, log);
  const { cluster, events } = node;
  if (node.clustered) log.info({ nodeId: node.nodeId }, node.describe);
  const stations = new StationService(new SqlStationRepository(storage.db), cluster, events, clock, log, {
    autoRegister: config.autoRegister,
    autoRegisterStatus: config.autoRegisterStatus,
    boot: { heartbeatIntervalSec: config.ocpp.heartbeatIntervalSec, retryIntervalSec: config.ocpp.bootRetryIntervalSec },
    presenceFlushMs: config.ocpp.presenceFlushMs,
    presenceWriteEveryMs: config.ocpp.presenceWriteEverySec * 1000,
  });
  stations.start();
  const autocharge = new AutochargeGuard(
    new SqlAutochargeRepository(storage.db),
    { concurrentWindowSec: config.authorization.autochargeConcurrentWindowSec, travelWindowSec: config.authorization.autochargeTravelWindowSec },
    (stationId) => stations.siteOf(stationId),
    clock,
    log,
  );
  const authorization = new AuthorizationService(new SqlTokenRepository(storage.db), clock, autocharge);
  await authorization.start();
  const localLists = new LocalListService(
    new SqlLocalListRepository(storage.db),
    authorization,
    cluster,
    events,
    { '1.6': localListTranslator16, '2.0.1': localListTranslator2x, '2.1': localListTranslator2x },
    clock,
    log,
    config.authorization.localListEntriesPerMessage,
  );
  await localLists.start();
  const stopAuthorizationSync = syncAuthorizationAcrossNodes(events, authorization, localLists, log);
  const transactions = new TransactionService(new SqlTransactionRepository(storage.db), events, clock, randomUUID, authorization, log);

  /** The station's REST view, or null when it does not exist. */
  const stationOrNull = (id: string) => nullIfNotFound(stations.get(id));

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
      clock,
      log,
      stations: {
        exists: async (id) => (await stationOrNull(id)) !== null,
      },
      transactions: transactionResolver,
      translators: commandTranslators,
      leases: node.leases,
    },
    {
      defaultExpirySec: config.commands.defaultExpirySec,
      maxWaitSec: config.commands.maxWaitSec,
      sweepIntervalMs: config.commands.sweepIntervalSec * 1000,
      connectGraceMs: config.commands.connectGraceSec * 1000,
      // In a cluster only: a sent command outliving any call it can be in (timeout + forwarding margin, twice) lost its node.
      orphanedAfterMs: node.clustered ? 2 * (config.ocpp.callTimeoutSec * 1000 + FORWARD_SLACK_MS) : undefined,
      outcomePollMs: node.clustered ? 200 : undefined,
    },
  );
  await commands.start();

  const offlineSettings = new OfflineSettingsService(
    new SqlOfflineSettingsRepository(storage.db),
    {
      siteOf: async (id) => stations.siteOf(id) ?? (await stationOrNull(id))?.siteId ?? null,
      versionOf: async (id) => (await stationOrNull(id))?.ocppVersion ?? null,
      inSite: async (siteId) => (await stations.list({ siteId, limit: 1_000_000, offset: 0 })).items.map((s) => s.id),
    },
    {
      setConfiguration: (stationId, key, value, expiresInSec) => commands.submit(stationId, { type: 'setConfiguration', params: { key, value } }, { expiresInSec }),
      outcome: async (id) => {
        const command = await nullIfNotFound(commands.get(id));
        return command && { state: command.state, status: command.response?.status ?? null };
      },
    },
    { '1.6': offlineSettingKeys16, '2.0.1': offlineSettingKeys2x, '2.1': offlineSettingKeys2x },
    events,
    clock,
    log,
  );
  await offlineSettings.start();

  // Console: recent OCPP messages per station (in memory) and the network overview.
  const messageLog = new StationMessageLog(config.console.messageLogSize);
  const overview = new OverviewService(new SqlOverviewRepository(storage.db), () => cluster.localStationIds().length, clock, () => stations.settled());

  // Stuck transactions read stations through this view (connection, last boot, connector states).
  const stationSnapshots: StationSnapshotSource = {
    snapshot: async (id) => {
      const view = await stationOrNull(id);
      return (
        view && {
          online: view.connected,
          connectedAt: view.connectedAt,
          disconnectedAt: view.disconnectedAt,
          lastBootAt: view.lastBootAt,
          siteId: view.siteId,
          connectors: view.evses.flatMap((evse) => evse.connectors.map((c) => ({ evseId: evse.id, status: c.status, ocppStatus: c.ocppStatus, reportedAt: c.reportedAt }))),
        }
      );
    },
  };
  const stuck = new StuckService(
    {
      repo: new SqlStuckRepository(storage.db),
      transactions,
      commands,
      stations: stationSnapshots,
      events,
      clock,
      timers: time.timers,
      log,
      lease: node.clustered ? { acquire: (ttlMs) => node.leases.acquire('stuck.sweep', ttlMs) } : undefined,
    },
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
      tap: messageLog,
      clock,
    },
  });

  const consoleDir = config.console.enabled ? fileURLToPath(new URL('../web/dist/', import.meta.url)) : undefined;
  const http = await createHttpServer({
    adminToken: adminToken.token,
    log,
    version: VERSION,
    routes: [
      stationRoutes(stations),
      authorizationRoutes(authorization),
      localListRoutes(localLists),
      offlineSettingsRoutes(offlineSettings),
      transactionRoutes(transactions),
      commandRoutes(commands),
      stationMessageLogRoutes(stations, messageLog),
      overviewRoutes(overview),
      eventStreamRoutes(events),
      stuckRoutes(stuck),
    ],
    consoleDir,
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
    node,
    stations,
    authorization,
    transactions,
    commands,
    stuck,
    adminToken,
    consoleBuilt: consoleDir !== undefined && existsSync(join(consoleDir, 'index.html')),
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      // How long each part took, logged once: a rolling restart is only as fast as its slowest step.
      const tookMs: Record<string, number> = {};
      let lap = Date.now();
      const timed = async (name: string, step: () => unknown) => {
        await step();
        const now = Date.now();
        tookMs[name] = now - lap;
        lap = now;
      };
      await timed('stuck', () => stuck.stop());
      await timed('ocpp', () => ocpp.close());
      // Before http.close(): answers requests waiting on ?wait= so the server can close.
      await timed('commands', () => commands.stop());
      await timed('http', () => http.close());
      await timed('stations', () => stations.stop());
      localLists.stop();
      offlineSettings.stop();
      stopAuthorizationSync();
      await timed('authorization', () => authorization.stop());
      await timed('cluster', () => node.close());
      log.info({ tookMs }, 'stopped');
      await storage.close();
    },
  };
}
