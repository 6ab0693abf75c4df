/** The payments capability as the composition root plugs it in (issue 15): card holds that always settle. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { PaymentService, PAID_TOKEN_PREFIX } from './payment-service.ts';
import type { PaymentDeps } from './payment-ports.ts';
import { SqlPaymentRepository } from './payment-repository-sql.ts';
import { StripeGateway } from './payment-stripe-service.ts';
import { PaymentWatch } from './payment-watch-service.ts';
import { paymentRoutes } from './payment-http.ts';
import type { PaymentGateway } from './payment-gateway-port.ts';
import { browserGateway } from './payment-page.ts';
import { paymentPageRoutes } from './payment-page-http.ts';
import { PaymentPageService, type PayPageDeps } from './payment-page-service.ts';
import { SqlPayCodeRepository } from './payment-page-repository-sql.ts';
import type { AnyCommandInput, Command, CommandKind } from '../commands/index.ts';
import { SettlementService } from './payment-settlement-service.ts';
import { SqlSettlementRepository } from './payment-settlement-repository-sql.ts';
import { settlementRoutes, WEB_PAYMENT_STARTED_REST } from './payment-settlement-http.ts';
import { checkWebPaymentStarted, WEB_PAYMENT_STARTED, type WebPaymentStartedParams } from './payment-settlement.ts';
import { paymentHandlers21, webPaymentStartedCall21 } from './payment-ocpp21.ts';

export interface PaymentModule extends CapabilityModule {
  /** Null when no gateway is configured (payments.gateway = none). */
  readonly service: PaymentService | null;
  readonly watch: PaymentWatch | null;
  readonly publishableKey: string | null;
  /** The configured gateway (reconciliation reads its own record of the money), or null. */
  readonly gateway: PaymentGateway | null;
  /** OCPP 2.1 payments at the station: settlements, web payment notices (payment-settlement*.ts). */
  readonly settlements: SettlementService;
}

/** OCPP 2.1 payments at the station: the command queue (notices) and a station's version and labels. */
export interface StationPaymentDeps {
  commands: { register<P extends Record<string, unknown>>(kind: CommandKind<P>): void; submit(stationId: string, input: AnyCommandInput): Promise<Command> };
  stationProfile(stationId: string): Promise<{ ocppVersion: string | null; labels: Readonly<Record<string, string>> } | null>;
}

/** The configured gateway, or null; a gateway without its secret is a configuration error at boot. */
function gatewayOf(config: Platform['config']): PaymentGateway | null {
  const { payments } = config;
  if (payments.gateway === 'none') return null;
  const { secretKey, webhookSecret, apiUrl, timeoutSec } = payments.stripe;
  if (!secretKey) throw new Error('payments.gateway is stripe: set payments.stripe.secretKey (STRIPE_SECRET_KEY)');
  const url = apiUrl ? new URL(apiUrl) : null;
  return new StripeGateway({
    secretKey,
    webhookSecret: webhookSecret ?? null,
    ...(url ? { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), protocol: url.protocol === 'https:' ? 'https' : 'http' } : {}),
    timeoutMs: timeoutSec * 1000,
  });
}

export function paymentModule(
  { db, clock, timers, log, events, config, node }: Platform,
  deps: Omit<PaymentDeps, 'repo' | 'gateway' | 'clock' | 'log' | 'policy'> & { gateway?: PaymentGateway } & Pick<PayPageDeps, 'stations' | 'tariffFor'> & StationPaymentDeps,
): PaymentModule {
  const settlements = new SettlementService({ repo: new SqlSettlementRepository(db), station: deps.stationProfile, commands: deps.commands, clock, log });
  const webPaymentStarted: CommandKind<WebPaymentStartedParams> = { type: WEB_PAYMENT_STARTED, rest: WEB_PAYMENT_STARTED_REST, check: checkWebPaymentStarted, toCall: { '2.1': webPaymentStartedCall21 } };
  deps.commands.register(webPaymentStarted);
  const gateway = deps.gateway ?? gatewayOf(config);
  const p = config.payments;
  const service = gateway
    ? new PaymentService({
        ...deps,
        // A 2.1 station that shows web payments hears of the pay page's payment just before its remote start.
        remoteStart: async (stationId, evseId, idToken) => {
          await settlements.announceWebPayment(stationId, evseId);
          return deps.remoteStart(stationId, evseId, idToken);
        },
        gateway,
        repo: new SqlPaymentRepository(db, gateway.name),
        clock,
        log,
        policy: {
          initialMinor: p.holdMinor,
          incrementAtShare: p.incrementAtShare,
          incrementMinor: p.incrementMinor,
          unusedAfterMs: p.unusedHoldSec * 1000,
          fastPath: { enabled: p.fastPath.enabled, maxExposureMinor: p.fastPath.maxExposureMinor, sites: p.fastPath.sites },
        },
      })
    : null;
  const watch = service
    ? new PaymentWatch({
        payments: service,
        events,
        timers,
        log,
        intervalMs: p.sweepIntervalSec * 1000,
        tokenPrefix: PAID_TOKEN_PREFIX,
        lease: node.clustered ? { acquire: (ttlMs) => node.leases.acquire('payments.sweep', ttlMs) } : undefined,
      })
    : null;
  // The driver's pay page and the QR stickers that lead to it (payment-page-*.ts).
  const pageGateway = browserGateway(p.stripe);
  const page = new PaymentPageService({
    stations: deps.stations,
    tariffFor: deps.tariffFor,
    codes: new SqlPayCodeRepository(db),
    clock,
    payments: { enabled: service !== null, gateway: pageGateway, holdMinor: p.holdMinor },
    pollMs: 2000,
  });
  const pageRoutes = paymentPageRoutes(page, { gateway: pageGateway, publicUrl: p.publicUrl, publicHost: config.publicHost, port: config.port, rateLimitPerMinute: config.access.rateLimitPerMinute });
  return {
    gateway,
    name: 'payments',
    service,
    watch,
    publishableKey: p.stripe.publishableKey ?? null,
    settlements,
    ocpp: [paymentHandlers21(settlements)],
    routes: [paymentRoutes(service), ...pageRoutes, settlementRoutes(settlements)],
    owners: { payment: async (id) => (service ? service.owner(id) : null) },
    start: () => watch?.start(),
    stop: () => watch?.stop(),
  };
}
