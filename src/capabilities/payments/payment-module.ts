/** The payments capability as the composition root plugs it in (issue 15): card holds that always settle. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { PaymentService, PAID_TOKEN_PREFIX, type PaymentDeps } from './payment-service.ts';
import { SqlPaymentRepository } from './payment-repository-sql.ts';
import { StripeGateway } from './payment-stripe-service.ts';
import { PaymentWatch } from './payment-watch-service.ts';
import { paymentRoutes } from './payment-http.ts';
import type { PaymentGateway } from './payment-gateway-port.ts';

export interface PaymentModule extends CapabilityModule {
  /** Null when no gateway is configured (payments.gateway = none). */
  readonly service: PaymentService | null;
  readonly watch: PaymentWatch | null;
  readonly publishableKey: string | null;
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
  deps: Omit<PaymentDeps, 'repo' | 'gateway' | 'clock' | 'log' | 'policy'> & { gateway?: PaymentGateway },
): PaymentModule {
  const gateway = deps.gateway ?? gatewayOf(config);
  const p = config.payments;
  const service = gateway
    ? new PaymentService({
        ...deps,
        gateway,
        repo: new SqlPaymentRepository(db, gateway.name),
        clock,
        log,
        policy: { initialMinor: p.holdMinor, incrementAtShare: p.incrementAtShare, incrementMinor: p.incrementMinor, unusedAfterMs: p.unusedHoldSec * 1000 },
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
  return {
    name: 'payments',
    service,
    watch,
    publishableKey: p.stripe.publishableKey ?? null,
    routes: [paymentRoutes(service)],
    owners: { payment: async (id) => (service ? service.owner(id) : null) },
    start: () => watch?.start(),
    stop: () => watch?.stop(),
  };
}
