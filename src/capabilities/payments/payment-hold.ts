/**
 * A card hold per charging session (core): the lifecycle and its decisions, pure.
 *
 *   authorizing -> authorized -> (increment while the running cost nears the hold)
 *               \-> declined                \-> capturing -> captured   (the final cost, at most the hold; the rest released)
 *                                           \-> releasing -> released   (nothing to bill, or no session came)
 *                                           \-> expired                 (the gateway cancelled it: the card network's window ran out)
 *
 * Every call to the gateway is preceded by a durable record of the intent (`authorizing`,
 * `capturing` with the amount, `releasing`) and carries an idempotency key derived from the hold
 * and the step, so a crash between the gateway's answer and our record is repaired by calling
 * again with the same key: the gateway replays its answer instead of acting twice.
 */

export type HoldState = 'authorizing' | 'authorized' | 'declined' | 'capturing' | 'captured' | 'releasing' | 'released' | 'expired';

/** States in which nothing more will happen to the money. */
export const FINAL_HOLD_STATES: readonly HoldState[] = ['declined', 'captured', 'released', 'expired'];

export interface PaymentHold {
  id: string;
  tenantId: string;
  stationId: string;
  evseId: number | null;
  /** The id token the session is started with; the transaction is linked by it. */
  idToken: string;
  transactionId: string | null;
  currency: string;
  /** What is held on the card now (minor units). */
  authorizedMinor: number;
  /** The amount being captured (`capturing`) or captured (`captured`). */
  captureMinor: number | null;
  /** The final cost beyond the hold that could not be captured (exposure recorded, not lost silently). */
  shortfallMinor: number;
  /** The CDR the capture was decided from. */
  cdrId: string | null;
  /** The gateway's id of the authorization (a Stripe PaymentIntent id). */
  gatewayRef: string | null;
  state: HoldState;
  /** How many increments were made (the next one's idempotency key). */
  increments: number;
  /** Fast path: the session started before the hold was placed, bounded by this cost (minor units); null: it waited for the hold. */
  exposureCapMinor: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface HoldPolicy {
  /** Held at the start (minor units). */
  initialMinor: number;
  /** An increment is asked for when the running cost reaches this share of the hold. */
  incrementAtShare: number;
  /** Each increment raises the hold by this much (minor units), at least to cover the running cost. */
  incrementMinor: number;
  /** A hold with no session after this long is released. */
  unusedAfterMs: number;
  /** The fast path, by default and per site id. */
  fastPath: FastPath & { sites: Readonly<Record<string, Partial<FastPath>>> };
}

/**
 * The fast path: the session starts at once, before the gateway has answered, with a bounded
 * exposure - while the hold is not placed, the session is stopped when its cost reaches
 * `maxExposureMinor`; a hold that then fails stops it, and what it consumed is recorded.
 */
export interface FastPath {
  enabled: boolean;
  maxExposureMinor: number;
}

export const DEFAULT_HOLD_POLICY: HoldPolicy = {
  initialMinor: 5000,
  incrementAtShare: 0.8,
  incrementMinor: 2500,
  unusedAfterMs: 15 * 60_000,
  fastPath: { enabled: true, maxExposureMinor: 1000, sites: {} },
};

/** The fast path of a site: its own settings over the defaults. */
export function fastPathAt(policy: HoldPolicy, siteId: string | null): FastPath {
  const own = siteId !== null ? policy.fastPath.sites[siteId] : undefined;
  return { enabled: own?.enabled ?? policy.fastPath.enabled, maxExposureMinor: own?.maxExposureMinor ?? policy.fastPath.maxExposureMinor };
}

/** While the hold is not placed, a fast-path session whose cost reaches its exposure bound must stop. */
export function exposureExceeded(hold: PaymentHold, runningCostMinor: number): boolean {
  return hold.state === 'authorizing' && hold.exposureCapMinor !== null && runningCostMinor >= hold.exposureCapMinor;
}

/** The idempotency key of one step of one hold. */
export function stepKey(hold: Pick<PaymentHold, 'id'>, step: 'authorize' | 'capture' | 'release' | `increment-${number}`): string {
  return `chargebridge:${hold.id}:${step}`;
}

/** A copy with the changes, one version further. */
export function advance(hold: PaymentHold, changes: Partial<PaymentHold>, now: Date): PaymentHold {
  return { ...hold, ...changes, updatedAt: now, version: hold.version + 1 };
}

/** The new total to hold, when the running cost has come near the hold; null otherwise. */
export function incrementTarget(hold: PaymentHold, runningCostMinor: number, policy: HoldPolicy): number | null {
  if (hold.state !== 'authorized' || hold.transactionId === null) return null;
  if (runningCostMinor < hold.authorizedMinor * policy.incrementAtShare) return null;
  return Math.max(hold.authorizedMinor + policy.incrementMinor, Math.ceil(runningCostMinor / policy.incrementAtShare));
}

/**
 * How a hold settles for the final cost of its session: capture what is owed up to the hold (the
 * gateway releases the rest), record what exceeds it, or release it all when nothing is owed.
 */
export function settlement(hold: PaymentHold, finalCostMinor: number): { action: 'capture'; captureMinor: number; shortfallMinor: number } | { action: 'release' } {
  if (finalCostMinor <= 0) return { action: 'release' };
  const captureMinor = Math.min(finalCostMinor, hold.authorizedMinor);
  return { action: 'capture', captureMinor, shortfallMinor: finalCostMinor - captureMinor };
}

/** Whether a hold was placed and no session used it in time. */
export function unused(hold: PaymentHold, now: Date, policy: HoldPolicy): boolean {
  return hold.state === 'authorized' && hold.transactionId === null && now.getTime() - hold.createdAt.getTime() >= policy.unusedAfterMs;
}
