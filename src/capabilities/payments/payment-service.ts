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
import { KeyedQueue } from '../../kernel/keyed-queue.ts';
import { TrackedWork } from '../../kernel/tracked-work.ts';
import { dec, fromMinorUnits, toMinorUnits, toNumber } from '../../kernel/decimal.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { advance, exposureExceeded, fastPathAt, incrementTarget, stepKey, unused, type PaymentHold } from './payment-hold.ts';
import type { PaymentDeps } from './payment-ports.ts';
import { HoldSteps } from './payment-hold-steps-service.ts';


const EXPOSURE_REACHED = 'exposure bound reached before the hold was placed';

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
  /** Fast-path authorizations under way after their request was answered. */
  private readonly background: TrackedWork;
  private readonly steps: HoldSteps;

  constructor(private readonly deps: PaymentDeps) {
    this.log = deps.log.child({ component: 'payments' });
    this.background = new TrackedWork((error) => this.log.error({ err: error }, 'fast-path authorization failed; the sweep retries'));
    this.steps = new HoldSteps(deps, this.log);
  }

  /**
   * Places a hold and starts the session remotely with the hold's token. On the fast path (per
   * site) the start is queued first and the hold placed meanwhile, so charging does not wait for
   * the bank; the session then runs under an exposure bound until the hold is placed, and a hold
   * that fails stops it. Otherwise the start waits for the hold, and a declined card starts nothing.
   */
  async startPaidSession(request: PaidSessionRequest): Promise<{ hold: PaymentHold; commandId: string | null }> {
    const station = await this.deps.stations.owner(request.stationId);
    if (!station) throw new CodedError('not-found', `station ${request.stationId} does not exist`);
    const currency = await this.deps.currencyAt(request.stationId, request.evseId);
    if (!currency) throw new CodedError('conflict', `station ${request.stationId} has no tariff: a paid session needs a price`);
    const fastPath = fastPathAt(this.deps.policy, station.siteId);
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
      exposureCapMinor: fastPath.enabled ? fastPath.maxExposureMinor : null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    // The payment method id (a gateway token, not card data) is logged so an authorization interrupted by a crash can be made again.
    await this.deps.repo.create(hold, { holdId: hold.id, state: 'authorizing', detail: { amountMinor: hold.authorizedMinor, currency, paymentMethod: request.paymentMethod, fastPath: fastPath.enabled }, at: now });
    const tokenExpiry = new Date(now.getTime() + this.deps.policy.unusedAfterMs);
    if (fastPath.enabled) {
      await this.deps.issueToken(hold.tenantId, hold.idToken, tokenExpiry);
      const commandId = await this.deps.remoteStart(hold.stationId, hold.evseId, hold.idToken);
      void this.background.track(this.serial(hold.id, () => this.steps.authorize(hold, request.paymentMethod)).then((placed) => this.afterFastAuthorization(placed)));
      return { hold, commandId };
    }
    const placed = await this.serial(hold.id, () => this.steps.authorize(hold, request.paymentMethod));
    if (placed.state !== 'authorized') return { hold: placed, commandId: null };
    await this.deps.issueToken(placed.tenantId, placed.idToken, tokenExpiry);
    return { hold: placed, commandId: await this.deps.remoteStart(placed.stationId, placed.evseId, placed.idToken) };
  }

  /** Resolves when the fast-path authorizations started so far are done (tests, clean stop). */
  idle(): Promise<void> {
    return this.background.idle();
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
      if (fresh.transactionId !== null) return fresh.transactionId === transactionId;
      const linked = await this.steps.write(advance(fresh, { transactionId }, this.deps.clock()), 'linked', { transactionId });
      // No hold behind the session (refused on the fast path, or released unused / expired before a late start): it must not charge on.
      if (linked.state === 'declined' || linked.state === 'released' || linked.state === 'expired') await this.steps.stopUnpaid(linked, `the hold is ${linked.state}`);
      return true;
    });
  }

  /**
   * The cost a paid session may reach, for stations that enforce a limit (OCPP 2.1): what its hold
   * covers, or on the fast path before the hold is placed, its exposure bound. Only sessions started
   * with a paid token are looked up (no read for any other session's event).
   */
  async limitFor(session: { id: string; idToken: string | null }): Promise<{ maxCost: number } | null> {
    if (!session.idToken?.startsWith(PAID_TOKEN_PREFIX)) return null;
    const hold = (await this.deps.repo.findByTransaction(session.id)) ?? (await this.deps.repo.findByToken(session.idToken));
    if (!hold) return null;
    const minor = hold.state === 'authorized' ? hold.authorizedMinor : hold.state === 'authorizing' ? hold.exposureCapMinor : null;
    return minor === null ? null : { maxCost: toNumber(fromMinorUnits(minor, hold.currency)) };
  }

  /** Sessions whose hold is still open (the watch prices their progress). */
  async openPaidSessions(): Promise<string[]> {
    return (await this.deps.repo.open(10_000)).flatMap((hold) => (hold.transactionId !== null && hold.state === 'authorized' ? [hold.transactionId] : []));
  }

  /** The running cost of a paid session nears its hold: ask the gateway for more. */
  async onSessionProgress(transactionId: string): Promise<void> {
    const hold = await this.deps.repo.findByTransaction(transactionId);
    if (!hold || (hold.state !== 'authorized' && hold.state !== 'authorizing')) return;
    const cost = await this.deps.runningCost(transactionId);
    if (!cost || cost.closed || cost.currency !== hold.currency) return;
    const costMinor = toMinorUnits(dec(cost.totalInclTax), cost.currency);
    if (exposureExceeded(hold, costMinor)) {
      await this.serial(hold.id, async () => {
        const fresh = await this.get(hold.id);
        if (exposureExceeded(fresh, costMinor) && fresh.lastError !== EXPOSURE_REACHED) {
          await this.steps.stopUnpaid(await this.steps.write(advance(fresh, { lastError: EXPOSURE_REACHED }, this.deps.clock()), 'exposure-reached', { costMinor, capMinor: fresh.exposureCapMinor }), EXPOSURE_REACHED);
        }
      });
      return;
    }
    if (hold.state !== 'authorized' || hold.gatewayRef === null) return;
    const target = incrementTarget(hold, costMinor, this.deps.policy);
    if (target === null) return;
    await this.serial(hold.id, async () => {
      const fresh = await this.get(hold.id);
      if (fresh.state !== 'authorized' || fresh.gatewayRef === null || target <= fresh.authorizedMinor) return;
      const answer = await this.deps.gateway.increment(fresh.gatewayRef, target, stepKey(fresh, `increment-${fresh.increments + 1}`));
      if (answer.ok) await this.steps.write(advance(fresh, { authorizedMinor: answer.authorization.authorizedMinor, increments: fresh.increments + 1, lastError: null }, this.deps.clock()), 'incremented', { totalMinor: answer.authorization.authorizedMinor });
      // Unanswered: the gateway may have raised it; what it holds now decides (the next increment gets a new key).
      else if (answer.kind === 'unavailable') {
        const bumped = await this.steps.write(advance(fresh, { increments: fresh.increments + 1, lastError: `${answer.kind}: ${answer.code}` }, this.deps.clock()), 'increment-unanswered', { totalMinor: target, code: answer.code });
        await this.steps.reconcileWithGateway(bumped, `increment unanswered: ${answer.code}`);
      }
      // A refused increment keeps the hold as it was: the session goes on, and what exceeds the hold at the end is recorded as shortfall.
      else await this.steps.write(advance(fresh, { increments: fresh.increments + 1, lastError: `${answer.kind}: ${answer.code}` }, this.deps.clock()), 'increment-refused', { totalMinor: target, code: answer.code, kind: answer.kind });
    });
  }

  /** The session's CDR is written (or corrected): settle the hold for what is owed. */
  async onCdr(transactionId: string): Promise<void> {
    const hold = await this.deps.repo.findByTransaction(transactionId);
    if (!hold) return;
    await this.serial(hold.id, () => this.steps.settleFromCdr(hold.id));
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
          if (fresh.state === 'authorizing') {
            // Refused only now (the gateway was unreachable at first): a fast-path session may be charging, or done.
            const placed = await this.steps.authorize(fresh, null);
            if (placed.state === 'declined') {
              await this.steps.stopUnpaid(placed, 'the card was declined');
              await this.steps.settleFromCdr(placed.id);
            }
          }
          else if (fresh.state === 'capturing') await this.steps.capture(fresh);
          else if (fresh.state === 'releasing') await this.steps.release(fresh, 'retry');
          else if (unused(fresh, this.deps.clock(), this.deps.policy)) await this.steps.release(await this.steps.write(advance(fresh, { state: 'releasing' }, this.deps.clock()), 'releasing', { reason: 'no session used the hold' }), 'unused');
          else if (fresh.state === 'authorized' && fresh.transactionId !== null) await this.steps.settleFromCdr(fresh.id);
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
    try {
      await this.serial(holdId, () => this.steps.reconcileWith(holdId, event.authorization, `webhook ${event.type}`));
    } catch (error) {
      // Not applied: forget the delivery, so the gateway's retry of this event is applied instead of answered "duplicate".
      await this.deps.repo.forgetDelivery(event.id);
      throw error;
    }
    return 'applied';
  }

  /** After a fast-path authorization: a refused hold stops (or bars) the session it was meant to pay for. */
  private async afterFastAuthorization(placed: PaymentHold): Promise<void> {
    if (placed.state !== 'declined') return;
    await this.serial(placed.id, async () => {
      const fresh = await this.get(placed.id);
      await this.steps.stopUnpaid(fresh, 'the card was declined');
    });
  }

  private serial<T>(holdId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(holdId, work);
  }
}
