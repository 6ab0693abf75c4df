/**
 * Payments shell: a card hold per paid session, driven through its state machine (payment-hold.ts)
 * by the driver's request, the session's events, its CDR, the gateway's webhooks and a sweep.
 * Each transition is written (with its log entry) before and after the gateway is called, over the
 * hold's version, so two nodes or a retry after a crash never act twice: the gateway call carries
 * the step's idempotency key and is simply made again.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import { KeyedQueue } from '../../kernel/keyed-queue.ts';
import { dec, toMinorUnits } from '../../kernel/decimal.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { GatewayAuthorization, GatewayResult, PaymentGateway } from './payment-gateway-port.ts';
import { advance, FINAL_HOLD_STATES, incrementTarget, settlement, stepKey, unused, type HoldPolicy, type PaymentHold } from './payment-hold.ts';
import type { PaymentRepository } from './payment-repository.ts';

export interface PaymentDeps {
  repo: PaymentRepository;
  gateway: PaymentGateway;
  stations: { owner(stationId: string): Promise<{ tenantId: string; siteId: string | null } | null> };
  /** The currency a session at this station will be priced in (its tariff's), or null when it has no tariff. */
  currencyAt(stationId: string, evseId: number | null): Promise<string | null>;
  /** A session's energy so far and running cost including tax (decimal text in its currency), or null. */
  runningCost(transactionId: string): Promise<{ currency: string; totalInclTax: string; closed: boolean; energyWh: number | null } | null>;
  /** The debit CDR in force for a transaction: what is owed. */
  finalCost(transactionId: string): Promise<{ cdrId: string; totalInclTaxMinor: number | null } | null>;
  /** Makes the id token a paid session starts with (accepted until `expiresAt`). */
  issueToken(tenantId: string, idToken: string, expiresAt: Date): Promise<void>;
  /** Starts the session remotely; the command's id. */
  remoteStart(stationId: string, evseId: number | null, idToken: string): Promise<string>;
  clock: Clock;
  log: Logger;
  policy: HoldPolicy;
}

/** The id tokens of paid sessions start with this (the watch links a session to its hold by it). */
export const PAID_TOKEN_PREFIX = 'PAY';

export interface PaidSessionRequest {
  stationId: string;
  evseId: number | null;
  /** The gateway's payment method (a card tokenised by the gateway in the driver's browser: never card details). */
  paymentMethod: string;
}

export class PaymentService {
  private readonly queue = new KeyedQueue();
  private readonly log: Logger;

  constructor(private readonly deps: PaymentDeps) {
    this.log = deps.log.child({ component: 'payments' });
  }

  /** Places a hold and, when the card is good, starts the session remotely with the hold's token. */
  async startPaidSession(request: PaidSessionRequest): Promise<{ hold: PaymentHold; commandId: string | null }> {
    const station = await this.deps.stations.owner(request.stationId);
    if (!station) throw new CodedError('not-found', `station ${request.stationId} does not exist`);
    const currency = await this.deps.currencyAt(request.stationId, request.evseId);
    if (!currency) throw new CodedError('conflict', `station ${request.stationId} has no tariff: a paid session needs a price`);
    const now = this.deps.clock();
    const hold: PaymentHold = {
      id: randomUUID(),
      tenantId: station.tenantId,
      stationId: request.stationId,
      evseId: request.evseId,
      // At most 20 characters: a 1.6 idTag (CiString20).
      idToken: `${PAID_TOKEN_PREFIX}${randomBytes(8).toString('hex').toUpperCase()}`,
      transactionId: null,
      currency,
      authorizedMinor: this.deps.policy.initialMinor,
      captureMinor: null,
      shortfallMinor: 0,
      cdrId: null,
      gatewayRef: null,
      state: 'authorizing',
      increments: 0,
      lastError: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    // The payment method id (a gateway token, not card data) is logged so an authorization interrupted by a crash can be made again.
    await this.deps.repo.create(hold, { holdId: hold.id, state: 'authorizing', detail: { amountMinor: hold.authorizedMinor, currency, paymentMethod: request.paymentMethod }, at: now });
    const placed = await this.serial(hold.id, () => this.authorize(hold, request.paymentMethod));
    if (placed.state !== 'authorized') return { hold: placed, commandId: null };
    await this.deps.issueToken(placed.tenantId, placed.idToken, new Date(now.getTime() + this.deps.policy.unusedAfterMs));
    return { hold: placed, commandId: await this.deps.remoteStart(placed.stationId, placed.evseId, placed.idToken) };
  }

  async get(id: string): Promise<PaymentHold> {
    const hold = await this.deps.repo.find(id);
    if (!hold) throw new CodedError('not-found', `payment ${id} does not exist`);
    return hold;
  }

  /** A hold with its session's progress (energy, cost so far or final): what the driver's page shows. */
  async withProgress(id: string): Promise<{ hold: PaymentHold; progress: { energyWh: number | null; totalInclTax: string; closed: boolean } | null }> {
    const hold = await this.get(id);
    const cost = hold.transactionId ? await this.deps.runningCost(hold.transactionId) : null;
    return { hold, progress: cost ? { energyWh: cost.energyWh, totalInclTax: cost.totalInclTax, closed: cost.closed } : null };
  }

  list(scope: TenantScope, filter: { stationId?: string; state?: string; limit: number; offset: number }) {
    return this.deps.repo.list(scope, filter);
  }

  events(id: string) {
    return this.deps.repo.events(id);
  }

  async owner(id: string): Promise<{ tenantId: string; stationId: string } | null> {
    const hold = await this.deps.repo.find(id);
    return hold ? { tenantId: hold.tenantId, stationId: hold.stationId } : null;
  }

  /** A session started with a hold's token: the hold is that session's. True when the session is paid by a hold. */
  async onSessionStarted(transactionId: string, idToken: string): Promise<boolean> {
    const hold = await this.deps.repo.findByToken(idToken);
    if (!hold) return false;
    if (hold.transactionId !== null) return hold.transactionId === transactionId;
    return this.serial(hold.id, async () => {
      const fresh = await this.get(hold.id);
      if (fresh.transactionId === null) await this.write(advance(fresh, { transactionId }, this.deps.clock()), 'linked', { transactionId });
      return (fresh.transactionId ?? transactionId) === transactionId;
    });
  }

  /** Sessions whose hold is still open (the watch prices their progress). */
  async openPaidSessions(): Promise<string[]> {
    return (await this.deps.repo.open(10_000)).flatMap((hold) => (hold.transactionId !== null && hold.state === 'authorized' ? [hold.transactionId] : []));
  }

  /** The running cost of a paid session nears its hold: ask the gateway for more. */
  async onSessionProgress(transactionId: string): Promise<void> {
    const hold = await this.deps.repo.findByTransaction(transactionId);
    if (!hold || hold.state !== 'authorized' || hold.gatewayRef === null) return;
    const cost = await this.deps.runningCost(transactionId);
    if (!cost || cost.closed || cost.currency !== hold.currency) return;
    const target = incrementTarget(hold, toMinorUnits(dec(cost.totalInclTax), cost.currency), this.deps.policy);
    if (target === null) return;
    await this.serial(hold.id, async () => {
      const fresh = await this.get(hold.id);
      if (fresh.state !== 'authorized' || fresh.gatewayRef === null || target <= fresh.authorizedMinor) return;
      const answer = await this.deps.gateway.increment(fresh.gatewayRef, target, stepKey(fresh, `increment-${fresh.increments + 1}`));
      if (answer.ok) await this.write(advance(fresh, { authorizedMinor: answer.authorization.authorizedMinor, increments: fresh.increments + 1, lastError: null }, this.deps.clock()), 'incremented', { totalMinor: answer.authorization.authorizedMinor });
      // A refused increment keeps the hold as it was: the session goes on, and what exceeds the hold at the end is recorded as shortfall.
      else await this.write(advance(fresh, { increments: fresh.increments + 1, lastError: `${answer.kind}: ${answer.code}` }, this.deps.clock()), 'increment-refused', { totalMinor: target, code: answer.code, kind: answer.kind });
    });
  }

  /** The session's CDR is written (or corrected): settle the hold for what is owed. */
  async onCdr(transactionId: string): Promise<void> {
    const hold = await this.deps.repo.findByTransaction(transactionId);
    if (!hold) return;
    await this.serial(hold.id, () => this.settleFromCdr(hold.id));
  }

  /**
   * Repairs and deadlines, for every hold not yet final: an authorization or a capture or release
   * left unanswered is made again with its key; a hold no session used is released; a hold whose
   * session ended without us hearing of its CDR is settled.
   */
  async sweep(): Promise<number> {
    let touched = 0;
    for (const hold of await this.deps.repo.open(500)) {
      touched++;
      try {
        await this.serial(hold.id, async () => {
          const fresh = await this.get(hold.id);
          if (fresh.state === 'authorizing') await this.authorize(fresh, null);
          else if (fresh.state === 'capturing') await this.capture(fresh);
          else if (fresh.state === 'releasing') await this.release(fresh, 'retry');
          else if (unused(fresh, this.deps.clock(), this.deps.policy)) await this.release(await this.write(advance(fresh, { state: 'releasing' }, this.deps.clock()), 'releasing', { reason: 'no session used the hold' }), 'unused');
          else if (fresh.state === 'authorized' && fresh.transactionId !== null) await this.settleFromCdr(fresh.id);
        });
      } catch (error) {
        this.log.error({ err: error, holdId: hold.id, stationId: hold.stationId }, 'payment sweep step failed; the next sweep retries');
      }
    }
    return touched;
  }

  /** A gateway webhook: verified, deduplicated by its event id, and applied to its hold. */
  async onWebhook(rawBody: string, signature: string | undefined): Promise<'applied' | 'duplicate' | 'ignored'> {
    const event = this.deps.gateway.webhookEvent(rawBody, signature);
    if (!event) throw new CodedError('invalid-input', 'webhook signature is not valid');
    if (!(await this.deps.repo.firstDelivery(event.id, event.type, this.deps.clock()))) return 'duplicate';
    const holdId = event.authorization.holdId;
    if (!holdId) return 'ignored';
    await this.serial(holdId, () => this.reconcileWith(holdId, event.authorization, `webhook ${event.type}`));
    return 'applied';
  }

  // --- Steps (each runs inside serial(hold.id)) -------------------------------------------

  private async authorize(hold: PaymentHold, paymentMethod: string | null): Promise<PaymentHold> {
    if (paymentMethod === null) {
      // After a crash the card's payment method is not kept: only the gateway's replay of the same key can tell what happened.
      const events = await this.deps.repo.events(hold.id);
      paymentMethod = (events.find((e) => e.state === 'authorizing')?.detail.paymentMethod as string | undefined) ?? null;
      if (paymentMethod === null) return this.write(advance(hold, { state: 'declined', lastError: 'authorization lost before the gateway answered' }, this.deps.clock()), 'declined', { reason: 'lost' });
    }
    const answer = await this.deps.gateway.authorize({
      holdId: hold.id,
      amountMinor: hold.authorizedMinor,
      currency: hold.currency,
      paymentMethod,
      description: `Charging at ${hold.stationId}`,
      metadata: { stationId: hold.stationId, evseId: String(hold.evseId ?? ''), tenantId: hold.tenantId },
      key: stepKey(hold, 'authorize'),
    });
    const now = this.deps.clock();
    if (answer.ok) return this.write(advance(hold, { state: 'authorized', gatewayRef: answer.authorization.ref, authorizedMinor: answer.authorization.authorizedMinor, lastError: null }, now), 'authorized', { ref: answer.authorization.ref, amountMinor: answer.authorization.authorizedMinor });
    if (answer.kind === 'unavailable') return this.write(advance(hold, { lastError: `${answer.kind}: ${answer.code}` }, now), 'authorize-unanswered', { code: answer.code, paymentMethod });
    return this.write(advance(hold, { state: 'declined', lastError: `${answer.kind}: ${answer.code}` }, now), 'declined', { code: answer.code, kind: answer.kind });
  }

  private async settleFromCdr(holdId: string): Promise<void> {
    const hold = await this.get(holdId);
    if (hold.transactionId === null) return;
    const cost = await this.deps.finalCost(hold.transactionId);
    if (!cost) return;
    const owed = cost.totalInclTaxMinor ?? 0;
    if (hold.state === 'captured' && hold.cdrId !== cost.cdrId) {
      // A corrected CDR after the capture: the difference is for reconciliation and the operator (a refund or a second charge), never silent.
      await this.write(advance(hold, { cdrId: cost.cdrId }, this.deps.clock()), 'adjustment-needed', { cdrId: cost.cdrId, owedMinor: owed, capturedMinor: hold.captureMinor });
      return;
    }
    if (hold.state !== 'authorized') return;
    const decision = settlement(hold, owed);
    const now = this.deps.clock();
    if (decision.action === 'release') {
      await this.release(await this.write(advance(hold, { state: 'releasing', cdrId: cost.cdrId }, now), 'releasing', { reason: 'nothing owed', cdrId: cost.cdrId }), 'nothing owed');
      return;
    }
    const intent = await this.write(advance(hold, { state: 'capturing', captureMinor: decision.captureMinor, shortfallMinor: decision.shortfallMinor, cdrId: cost.cdrId }, now), 'capturing', { ...decision, cdrId: cost.cdrId });
    await this.capture(intent);
  }

  private async capture(hold: PaymentHold): Promise<void> {
    if (hold.gatewayRef === null || hold.captureMinor === null) return;
    const answer = await this.deps.gateway.capture(hold.gatewayRef, hold.captureMinor, stepKey(hold, 'capture'));
    if (answer.ok) {
      await this.write(advance(hold, { state: 'captured', captureMinor: answer.authorization.capturedMinor, lastError: null }, this.deps.clock()), 'captured', { capturedMinor: answer.authorization.capturedMinor });
      return;
    }
    if (answer.kind === 'unavailable') {
      await this.write(advance(hold, { lastError: `${answer.kind}: ${answer.code}` }, this.deps.clock()), 'capture-unanswered', { code: answer.code });
      return;
    }
    // Refused: what the gateway holds now decides (captured by an earlier attempt, or expired).
    await this.reconcileWithGateway(hold, `capture refused: ${answer.code}`);
  }

  private async release(hold: PaymentHold, reason: string): Promise<void> {
    if (hold.gatewayRef === null) {
      await this.write(advance(hold, { state: 'released' }, this.deps.clock()), 'released', { reason });
      return;
    }
    const answer = await this.deps.gateway.release(hold.gatewayRef, stepKey(hold, 'release'));
    if (answer.ok) await this.write(advance(hold, { state: 'released', lastError: null }, this.deps.clock()), 'released', { reason });
    else if (answer.kind === 'unavailable') await this.write(advance(hold, { lastError: `${answer.kind}: ${answer.code}` }, this.deps.clock()), 'release-unanswered', { code: answer.code });
    else await this.reconcileWithGateway(hold, `release refused: ${answer.code}`);
  }

  private async reconcileWithGateway(hold: PaymentHold, why: string): Promise<void> {
    if (hold.gatewayRef === null) return;
    const found: GatewayResult<{ authorization: GatewayAuthorization }> = await this.deps.gateway.find(hold.gatewayRef);
    if (!found.ok) {
      await this.write(advance(hold, { lastError: why }, this.deps.clock()), 'gateway-unclear', { why, code: found.code });
      return;
    }
    await this.reconcileWith(hold.id, found.authorization, why);
  }

  /** Brings the hold in line with what the gateway says the authorization is. */
  private async reconcileWith(holdId: string, authorization: GatewayAuthorization, why: string): Promise<void> {
    const hold = await this.get(holdId);
    if (FINAL_HOLD_STATES.includes(hold.state)) return;
    const now = this.deps.clock();
    if (authorization.state === 'captured') {
      await this.write(advance(hold, { state: 'captured', captureMinor: authorization.capturedMinor }, now), 'captured', { capturedMinor: authorization.capturedMinor, why });
    } else if (authorization.state === 'canceled') {
      // Cancelled by the gateway (the card network's window ran out) or by our own release: nothing was collected.
      const state = hold.state === 'releasing' ? 'released' : 'expired';
      const owed = hold.state === 'capturing' ? (hold.captureMinor ?? 0) + hold.shortfallMinor : 0;
      await this.write(advance(hold, { state, shortfallMinor: owed, lastError: state === 'expired' ? why : null }, now), state, { why, shortfallMinor: owed });
    } else if (authorization.state === 'authorized' && hold.state === 'authorizing') {
      await this.write(advance(hold, { state: 'authorized', gatewayRef: authorization.ref, authorizedMinor: authorization.authorizedMinor }, now), 'authorized', { ref: authorization.ref, why });
    } else if (authorization.state === 'authorized' && authorization.authorizedMinor !== hold.authorizedMinor) {
      await this.write(advance(hold, { authorizedMinor: authorization.authorizedMinor }, now), 'amount-updated', { amountMinor: authorization.authorizedMinor, why });
    }
  }

  /** Writes a transition; a hold changed meanwhile (another node) is a conflict the caller's next attempt re-reads. */
  private async write(hold: PaymentHold, state: string, detail: Record<string, unknown>): Promise<PaymentHold> {
    if (!(await this.deps.repo.save(hold, { holdId: hold.id, state, detail, at: hold.updatedAt }))) throw new CodedError('conflict', `payment ${hold.id} changed meanwhile`);
    this.log.info({ holdId: hold.id, stationId: hold.stationId, transactionId: hold.transactionId, state, ...detail }, 'payment hold');
    return hold;
  }

  private serial<T>(holdId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(holdId, work);
  }
}
