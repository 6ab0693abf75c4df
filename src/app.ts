/**
 * Composition root: config -> platform (storage, cluster, time, log) -> capability
 * modules -> edges (OCPP, HTTP). No DI container: every module is built by hand in
 * dependency order, so this file is the map of the system. A new capability is one
 * more module in the list below. `startChargebridge` is what main.ts, the tests and
 * the benchmarks start.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { nullIfNotFound, type CapabilityModule, type Platform } from './capability-module.ts';
import { resolveAdminToken, type AdminToken } from './admin-token.ts';
import { createLogger } from './logging.ts';
import { systemTime, type TimeSource } from './kernel/time.ts';
import { openStorage, type Storage, type StorageTarget } from './storage/database.ts';
import { migrateToLatest } from './storage/migrator.ts';
import { checkTenantReads } from './storage/tenant-reads.ts';
import type { EventBus } from './cluster/event-bus.ts';
import type { ClusterPort } from './cluster/cluster-port.ts';
import { openClusterMode, type ClusterMode } from './cluster/cluster-mode.ts';
import { OcppRouter } from './ocpp/ocpp-router.ts';
import type { OcppVersion } from './kernel/protocol-version.ts';
import { OcppServer } from './ocpp/ocpp-server.ts';
import { createHttpServer, type HttpApp } from './http/http-server.ts';
import { eventStreamRoutes } from './http/http-event-stream.ts';
import { stationModule, type StationService } from './capabilities/stations/index.ts';
import { authorizationModule, offlineSettingsModule, type AuthorizationService } from './capabilities/authorization/index.ts';
import { energyWh, transactionModule, type TransactionService } from './capabilities/transactions/index.ts';
import { commandModule, type CommandService } from './capabilities/commands/index.ts';
import { overviewModule } from './capabilities/overview/index.ts';
import { stuckModule, type StuckService } from './capabilities/stuck/index.ts';
import { tenantModule } from './capabilities/tenants/index.ts';
import { accessModule, type AccessService } from './capabilities/access/index.ts';
import { auditModule } from './capabilities/audit/index.ts';
import { stationEventsModule } from './capabilities/station-events/index.ts';
import { configTemplatesModule } from './capabilities/config-templates/index.ts';
import { tariffModule } from './capabilities/tariffs/index.ts';
import { billingModule, type BillingService } from './capabilities/billing/index.ts';
import { paymentModule, type PaymentService } from './capabilities/payments/index.ts';
import { reconciliationModule, type ReconciliationService } from './capabilities/reconciliation/index.ts';
import { deviceModelModule } from './capabilities/device-model/index.ts';
import { reservationModule } from './capabilities/reservations/index.ts';
import { vendorExtensionsModule } from './capabilities/vendor-extensions/index.ts';
import { displayMessageModule } from './capabilities/display-messages/index.ts';
import { customerInformationModule } from './capabilities/customer-information/index.ts';
import { actorOf } from './http/http-audit-hook.ts';

export const VERSION = '0.1.0';

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
  /** Pricing and CDRs; `idle` resolves when the books work started so far is done (tests). */
  billing: { service: BillingService; idle(): Promise<void> };
  /** Card holds (service null without a gateway); `idle` resolves when the work started so far is done (tests). */
  payments: { service: PaymentService | null; idle(): Promise<void> };
  /** Three-way reconciliation; `idle` resolves when a daily run in progress is done (tests). */
  reconciliation: { service: ReconciliationService; idle(): Promise<void> };
  access: AccessService;
  adminToken: AdminToken;
  /** The actions each OCPP version's router answers (every other defined action is answered NotSupported). */
  ocppActions(version: OcppVersion): string[];
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
  const target: StorageTarget = options.storage ?? (config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
  const storage = await openStorage(target);
  const applied = await migrateToLatest(storage.db);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');

  if (!(await checkTenantReads(storage.db))) {
    log.warn('row-level security is off: the database user could not create or take the role chargebridge_tenant (see ADR 20); tenant isolation rests on scoped queries alone');
  }
  const adminToken = resolveAdminToken(config.adminToken, config.dataDir);
  const node = await openClusterMode({ ...config.cluster, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 }, storage.db, log);
  if (node.clustered) log.info({ nodeId: node.nodeId }, node.describe);
  const platform: Platform = { config, db: storage.db, cluster: node.cluster, events: node.events, node, clock: time.clock, timers: time.timers, log };

  // The capabilities, each after those it uses.
  const tenants = tenantModule(platform);
  const access = accessModule(platform, tenants.service);
  const stations = stationModule(platform, tenants.service);
  const authorization = authorizationModule(platform, stations.service, tenants.service);
  const transactions = transactionModule(platform, authorization.service);
  // Whether a station exists: one indexed read of its owner (a full view would also read its connectors).
  const commands = commandModule(platform, { exists: async (id) => (await stations.service.owner(id)) !== null }, transactions.service);
  const offlineSettings = offlineSettingsModule(platform, stations.service, commands.service, tenants.service);
  const overview = overviewModule(platform, stations.service);
  const stuck = stuckModule(platform, stations.service, transactions.service, commands.service);
  const audit = auditModule(platform, stations.service);
  const stationEvents = stationEventsModule(platform, { stations: stations.service, commands: commands.service });
  const deviceModel = deviceModelModule(platform, { stations: stations.service, commands: commands.service });
  const configTemplates = configTemplatesModule(platform, { stations: stations.service, commands: commands.service, tenants: tenants.service, migration: deviceModel.migration });
  const reservations = reservationModule(platform, { stations: stations.service, commands: commands.service });
  const vendorExtensions = vendorExtensionsModule(platform, { stations: stations.service, commands: commands.service, tenants: tenants.service });
  const tariffs = tariffModule(platform, {
    stations: stations.service,
    tenants: tenants.service,
    // OCPP 2.1 stations that price locally: tariffs sent as commands; TariffCostCtrlr.Enabled[Tariff] as the device model last learnt it.
    commands: commands.service,
    configuration: deviceModel.configuration,
    transactions: {
      resolve: (id) => transactions.service.resolve(id),
      timeline: async (id) => (await transactions.service.get(id)).timeline.map((event) => event.summary),
    },
    // The station's own cost is checked when a CDR is written; billing is built next, and CDRs exist only once it runs.
    cdr: (id) => billing.service.cdr(id),
  });
  const billing = billingModule(platform, {
    tariffs: tariffs.service,
    stations: stations.service,
    transactions: transactions.service,
    sites: tenants.service,
    // Running cost to stations: queued as commands; a 1.6 station's CustomDisplayCostAndPrice as the device model last learnt it.
    commands: commands.service,
    configuration: deviceModel.configuration,
    // A token's group, for a fleet's or partner's tariff (token values are global: ADR 20).
    tokens: { groupOf: (idToken) => authorization.service.authorize(idToken, time.clock()).groupId },
  });
  const payments = paymentModule(platform, {
    stations: stations.service,
    // OCPP 2.1 payments at the station: NotifyWebPaymentStarted through the command queue, to stations whose version and labels say so.
    commands: commands.service,
    stationProfile: async (stationId) => ((await stations.service.owner(stationId)) ? stations.service.get(stationId) : null),
    // The tariff a session on this EVSE would start under now, for everyone (a paid session has no token group).
    currencyAt: async (stationId, evseId) => {
      const owner = await stations.service.owner(stationId);
      const resolved = owner ? await tariffs.service.resolve({ tenantId: owner.tenantId, siteId: owner.siteId, stationId, evseId, connectorId: null, tokenGroup: null }, time.clock()) : null;
      return resolved?.tariff.currency ?? null;
    },
    // The pay page shows the price before paying: the tariff a card payer's session at this EVSE would be priced by now.
    tariffFor: async (stationId, evseId) => {
      const owner = await stations.service.owner(stationId);
      const resolved = owner && (await tariffs.service.resolve({ tenantId: owner.tenantId, siteId: owner.siteId, stationId, evseId, connectorId: null, tokenGroup: null }, time.clock()));
      return resolved ? resolved.tariff.tariff : null;
    },
    runningCost: async (transactionId) => {
      const tx = await transactions.service.transaction(transactionId);
      const cost = tx ? (await billing.service.costs([tx])).get(tx.id) : null;
      return tx && cost ? { ...cost, closed: tx.state === 'completed', energyWh: energyWh(tx) } : null;
    },
    finalCost: async (transactionId) => {
      const debit = await billing.service.debitOf(transactionId);
      return debit ? { cdrId: debit.id, totalInclTaxMinor: debit.totalInclTaxMinor } : null;
    },
    // The token a paid session starts with: accepted until the hold would be released unused.
    issueToken: async (tenantId, idToken, expiresAt) => void (await authorization.service.create({ tenantId }, { idToken, type: 'Central', status: 'Accepted', expiresAt: expiresAt.toISOString() })),
    remoteStart: async (stationId, evseId, idToken) => (await commands.service.submit(stationId, { type: 'start', params: { idToken, idTokenType: 'Central', ...(evseId !== null ? { evseId } : {}) } })).id,
    remoteStop: async (transactionId) => {
      const tx = await transactions.service.transaction(transactionId);
      if (tx && tx.state === 'active') await commands.service.submit(tx.stationId, { type: 'stop', params: { transactionId } });
    },
    // A token never issued (the hold was refused before the start) has nothing to block.
    blockToken: async (tenantId, idToken) => void (await nullIfNotFound(authorization.service.update({ tenantId }, idToken, { status: 'Blocked' }))),
  });
  // A paid session's limit (OCPP 2.1 stations enforce it): what its card hold covers.
  transactions.service.useLimitSource({ limitFor: async (tx) => (payments.service ? payments.service.limitFor(tx) : null) });
  // Three-way reconciliation: metering, CDRs and holds joined in SQL; the gateway's own record when payments has one.
  const reconciliation = reconciliationModule(platform, { gateway: payments.gateway });
  const displayMessages = displayMessageModule(platform, { stations: stations.service, commands: commands.service });
  const customerInformation = customerInformationModule(platform, { stations: stations.service, commands: commands.service });
  const modules: readonly CapabilityModule[] = [
    tenants,
    access,
    stations,
    authorization,
    transactions,
    commands,
    offlineSettings,
    overview,
    stuck,
    audit,
    stationEvents,
    deviceModel,
    configTemplates,
    reservations,
    vendorExtensions,
    displayMessages,
    customerInformation,
    tariffs,
    billing,
    payments,
    reconciliation,
  ];

  for (const module of modules) await module.start?.();

  const router = new OcppRouter(modules.flatMap((module) => module.ocpp ?? []));
  const ocpp = new OcppServer({
    protocols: config.ocpp.protocols,
    maxFrameBytes: config.ocpp.maxFrameBytes,
    pingIntervalMs: config.ocpp.pingIntervalSec * 1000,
    cluster: node.cluster,
    lifecycle: stations.service,
    log,
    session: {
      router,
      log,
      callTimeoutMs: config.ocpp.callTimeoutSec * 1000,
      maxQueuedCalls: config.ocpp.maxQueuedCalls,
      floodMessagesPerSec: config.ocpp.floodMessagesPerSec,
      floodBurst: config.ocpp.floodBurst,
      lifecycle: stations.service,
      tap: stations.messageLog,
      clock: time.clock,
    },
  });

  const consoleDir = config.console.enabled ? fileURLToPath(new URL('../web/dist/', import.meta.url)) : undefined;
  const http = await createHttpServer({
    adminToken: adminToken.token,
    authenticate: (secret) => access.service.authenticate(secret),
    owners: Object.assign({}, ...modules.map((module) => module.owners ?? {})),
    rateLimitPerMinute: config.access.rateLimitPerMinute,
    audit: (call) => audit.service.recordCall({ ...call, actor: actorOf(call) }),
    log,
    version: VERSION,
    routes: [...modules.flatMap((module) => module.routes ?? []), eventStreamRoutes(node.events, (id) => stations.service.owner(id))],
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
    cluster: node.cluster,
    events: node.events,
    node,
    stations: stations.service,
    authorization: authorization.service,
    transactions: transactions.service,
    commands: commands.service,
    stuck: stuck.service,
    billing: { service: billing.service, idle: () => billing.books.idle() },
    payments: {
      service: payments.service,
      idle: async () => {
        await payments.service?.idle();
        await payments.watch?.idle();
      },
    },
    reconciliation: { service: reconciliation.service, idle: async () => reconciliation.daily?.idle() },
    access: access.service,
    adminToken,
    ocppActions: (version) => router.actions(version),
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
        tookMs[name] = (tookMs[name] ?? 0) + now - lap;
        lap = now;
      };
      const reversed = [...modules].reverse();
      for (const module of reversed) if (module.quiesce) await timed(module.name, () => module.quiesce?.());
      await timed('ocpp', () => ocpp.close());
      // Before http.close(): the commands module answers requests waiting on ?wait= so the server can close.
      for (const module of reversed) if (module.stop) await timed(module.name, () => module.stop?.());
      await timed('http', () => http.close());
      await timed('cluster', () => node.close());
      log.info({ tookMs }, 'stopped');
      await storage.close();
    },
  };
}
