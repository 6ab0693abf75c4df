/**
 * The steps that move a hold and its money, each run by PaymentService inside the hold's queue:
 * the intent is written, the gateway is called with the step's idempotency key, and its answer
 * is written over the hold's version. An unanswered call leaves the intent for the sweep to make
 * again; a refused one is settled by asking the gateway what the authorization is now.
 */
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { GatewayAuthorization, GatewayResult } from './payment-gateway-port.ts';
import { advance, FINAL_HOLD_STATES, settlement, stepKey, type PaymentHold } from './payment-hold.ts';
import type { PaymentDeps } from './payment-ports.ts';

type StepDeps = Pick<PaymentDeps, 'repo' | 'gateway' | 'finalCost' | 'blockToken' | 'remoteStop' | 'clock'>;

export class HoldSteps {
  constructor(
    private readonly deps: StepDeps,
    private readonly log: Logger,
  ) {}

  private async get(id: string): Promise<PaymentHold> {
    const hold = await this.deps.repo.find(id);
    if (!hold) throw new CodedError('not-found', `payment ${id} does not exist`);
    return hold;
  }

  async authorize(hold: PaymentHold, paymentMethod: string | null): Promise<PaymentHold> {
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
    if (answer.ok && answer.authorization.state !== 'authorized') {
      // Answered, but nothing is held: the card asks for the driver's action (3-D Secure) this page cannot give, or
      // the intent is in another state. Not a hold: declined, and the intent cancelled so nothing stays reserved.
      const refused = await this.write(advance(hold, { state: 'declined', gatewayRef: answer.authorization.ref, lastError: `not held: ${answer.authorization.state}` }, now), 'declined', { code: `not-held-${answer.authorization.state}`, ref: answer.authorization.ref });
      const released = await this.deps.gateway.release(answer.authorization.ref, stepKey(hold, 'release'));
      if (!released.ok) this.log.warn({ holdId: hold.id, ref: answer.authorization.ref, code: released.code }, 'an intent that held nothing could not be cancelled');
      return refused;
    }
    if (answer.ok) return this.write(advance(hold, { state: 'authorized', gatewayRef: answer.authorization.ref, authorizedMinor: answer.authorization.authorizedMinor, lastError: null }, now), 'authorized', { ref: answer.authorization.ref, amountMinor: answer.authorization.authorizedMinor });
    if (answer.kind === 'unavailable') return this.write(advance(hold, { lastError: `${answer.kind}: ${answer.code}` }, now), 'authorize-unanswered', { code: answer.code, paymentMethod });
    return this.write(advance(hold, { state: 'declined', lastError: `${answer.kind}: ${answer.code}` }, now), 'declined', { code: answer.code, kind: answer.kind });
  }

  async settleFromCdr(holdId: string): Promise<void> {
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
    if (hold.state === 'declined' || hold.state === 'released' || hold.state === 'expired') {
      // A session charging without a hold (refused on the fast path, released unused before a late start, expired at the
      // gateway): what it consumed is the exposure, recorded (never silently lost).
      if (hold.cdrId !== cost.cdrId) await this.write(advance(hold, { cdrId: cost.cdrId, shortfallMinor: owed }, this.deps.clock()), 'exposure-recorded', { cdrId: cost.cdrId, shortfallMinor: owed });
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

  async capture(hold: PaymentHold): Promise<void> {
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

  async release(hold: PaymentHold, reason: string): Promise<void> {
    if (hold.gatewayRef === null) {
      await this.write(advance(hold, { state: 'released' }, this.deps.clock()), 'released', { reason });
      return;
    }
    const answer = await this.deps.gateway.release(hold.gatewayRef, stepKey(hold, 'release'));
    if (answer.ok) await this.write(advance(hold, { state: 'released', lastError: null }, this.deps.clock()), 'released', { reason });
    else if (answer.kind === 'unavailable') await this.write(advance(hold, { lastError: `${answer.kind}: ${answer.code}` }, this.deps.clock()), 'release-unanswered', { code: answer.code });
    else await this.reconcileWithGateway(hold, `release refused: ${answer.code}`);
  }

  async reconcileWithGateway(hold: PaymentHold, why: string): Promise<void> {
    if (hold.gatewayRef === null) return;
    const found: GatewayResult<{ authorization: GatewayAuthorization }> = await this.deps.gateway.find(hold.gatewayRef);
    if (!found.ok) {
      await this.write(advance(hold, { lastError: why }, this.deps.clock()), 'gateway-unclear', { why, code: found.code });
      return;
    }
    await this.reconcileWith(hold.id, found.authorization, why);
  }

  /** Brings the hold in line with what the gateway says the authorization is. */
  async reconcileWith(holdId: string, authorization: GatewayAuthorization, why: string): Promise<void> {
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

  /** Bars the hold's token and stops its session if one runs: charging without a hold ends here. */
  async stopUnpaid(hold: PaymentHold, why: string): Promise<void> {
    await this.deps.blockToken(hold.tenantId, hold.idToken);
    if (hold.transactionId !== null) await this.deps.remoteStop(hold.transactionId);
    this.log.warn({ holdId: hold.id, stationId: hold.stationId, transactionId: hold.transactionId, why }, 'paid session stopped: no hold');
  }

  /** Writes a transition; a hold changed meanwhile (another node) is a conflict the caller's next attempt re-reads. */
  async write(hold: PaymentHold, state: string, detail: Record<string, unknown>): Promise<PaymentHold> {
    if (!(await this.deps.repo.save(hold, { holdId: hold.id, state, detail, at: hold.updatedAt }))) throw new CodedError('conflict', `payment ${hold.id} changed meanwhile`);
    // The payment method id is the gateway's token of a card: kept in the hold's log, never in the process log.
    const { paymentMethod: _omitted, ...logged } = detail;
    this.log.info({ holdId: hold.id, stationId: hold.stationId, transactionId: hold.transactionId, state, ...logged }, 'payment hold');
    return hold;
  }
}
