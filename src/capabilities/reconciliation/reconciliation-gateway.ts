/**
 * The third leg (core): the gateway's own record of each authorization (its "settlement") against
 * our holds. The gateway is read as a list of authorizations created in a window; each is matched
 * to a hold by its reference (the hold's `gateway_ref`), else by the hold id we gave it as metadata
 * (a second authorization made for one hold, which our record does not know).
 *
 * A record is judged in the period of its hold (the hold's session stopped in it, or, without a
 * session, the hold was placed in it); a record no hold names is judged in the period it was
 * created in, and only for a caller that sees every tenant (no tenant owns it).
 */
import type { Discrepancy, Period } from './reconciliation.ts';
import type { GatewayAuthorization } from '../payments/index.ts';

/** What the gateway says an authorization is: the payments port's own type. */
export type GatewayRecord = GatewayAuthorization;

/** A hold as the gateway check needs it. */
export interface HoldFacts {
  id: string;
  tenantId: string;
  stationId: string;
  transactionId: string | null;
  state: string;
  currency: string;
  captureMinor: number | null;
  gatewayRef: string | null;
  /** The hold's session's stop, when it stopped. */
  stoppedAt: Date | null;
  /** Whether the hold belongs to the period being reconciled. */
  inPeriod: boolean;
}

const within = (at: Date, period: Period) => at.getTime() >= period.from.getTime() && at.getTime() < period.to.getTime();

function mismatch(hold: HoldFacts | null, record: GatewayRecord, amountMinor: number, currency: string, facts: Record<string, unknown>): Discrepancy {
  return {
    kind: 'gateway-mismatch',
    tenantId: hold?.tenantId ?? null,
    transactionId: hold?.transactionId ?? null,
    holdId: hold?.id ?? null,
    cdrId: null,
    stationId: hold?.stationId ?? null,
    stoppedAt: hold?.stoppedAt ?? null,
    currency,
    amountMinor,
    amountKnown: true,
    facts: { gatewayRef: record.ref, gatewayState: record.state, gatewayCapturedMinor: record.capturedMinor, ...facts },
  };
}

/** The hold a record belongs to: the one carrying its reference, else the one it names. */
export function holdOf(record: GatewayRecord, byRef: ReadonlyMap<string, HoldFacts>, byId: ReadonlyMap<string, HoldFacts>): HoldFacts | null {
  return byRef.get(record.ref) ?? (record.holdId !== null ? byId.get(record.holdId) ?? null : null);
}

/**
 * One gateway record against its hold (null: none of ours). `seesEveryTenant`: whether records no
 * hold names may be listed (to whom they belong is unknown).
 */
export function judgeRecord(record: GatewayRecord, hold: HoldFacts | null, period: Period, seesEveryTenant: boolean): Discrepancy | null {
  if (!hold) {
    if (!seesEveryTenant || record.capturedMinor <= 0 || !within(record.createdAt, period)) return null;
    return mismatch(null, record, record.capturedMinor, record.currency, { reason: 'unknown-authorization' });
  }
  if (!hold.inPeriod) return null;
  if (hold.gatewayRef !== record.ref) {
    // The hold names another authorization: this one is money taken outside our record.
    return record.capturedMinor > 0 ? mismatch(hold, record, record.capturedMinor, record.currency, { reason: 'second-authorization', holdRef: hold.gatewayRef }) : null;
  }
  const ours = hold.captureMinor ?? 0;
  if (hold.state === 'captured') {
    if (record.state === 'captured') {
      if (record.capturedMinor === ours && record.currency === hold.currency) return null;
      const amount = record.currency === hold.currency ? Math.abs(record.capturedMinor - ours) : record.capturedMinor;
      return mismatch(hold, record, amount, record.currency, { reason: 'amount-differs', ourCaptureMinor: ours });
    }
    return mismatch(hold, record, ours, hold.currency, { reason: record.state === 'canceled' ? 'gateway-canceled' : 'gateway-not-captured', ourCaptureMinor: ours });
  }
  if (record.capturedMinor > 0) return mismatch(hold, record, record.capturedMinor, record.currency, { reason: 'not-captured-here', ourState: hold.state });
  return null;
}

/** A captured hold of the period whose authorization the gateway's list did not have. */
export function missingAtGateway(hold: HoldFacts): Discrepancy {
  const ours = hold.captureMinor ?? 0;
  return {
    kind: 'gateway-mismatch',
    tenantId: hold.tenantId,
    transactionId: hold.transactionId,
    holdId: hold.id,
    cdrId: null,
    stationId: hold.stationId,
    stoppedAt: hold.stoppedAt,
    currency: hold.currency,
    amountMinor: ours,
    amountKnown: true,
    facts: { reason: 'missing-at-gateway', gatewayRef: hold.gatewayRef, ourCaptureMinor: ours },
  };
}

/**
 * Captured authorizations per session, as the gateway has them: a session with more than one was
 * charged more than once (what we hold ourselves is counted by the ledger's own check).
 */
export class GatewayCaptures {
  private readonly bySession = new Map<string, { hold: HoldFacts; currency: string; refs: Map<string, number> }>();

  add(record: GatewayRecord, hold: HoldFacts | null): void {
    if (!hold || !hold.inPeriod || hold.transactionId === null || record.capturedMinor <= 0) return;
    const entry = this.bySession.get(hold.transactionId) ?? { hold, currency: record.currency, refs: new Map<string, number>() };
    entry.refs.set(record.ref, record.capturedMinor);
    this.bySession.set(hold.transactionId, entry);
  }

  /** Sessions with more than one captured authorization at the gateway. */
  sessions(): string[] {
    return [...this.bySession].filter(([, e]) => e.refs.size > 1).map(([id]) => id);
  }

  /** The item of a session charged more than once: what was captured beyond the largest capture. */
  duplicate(transactionId: string): Discrepancy | null {
    const entry = this.bySession.get(transactionId);
    if (!entry || entry.refs.size < 2) return null;
    const amounts = [...entry.refs.values()];
    const total = amounts.reduce((a, b) => a + b, 0);
    return {
      kind: 'duplicate-capture',
      tenantId: entry.hold.tenantId,
      transactionId,
      holdId: entry.hold.id,
      cdrId: null,
      stationId: entry.hold.stationId,
      stoppedAt: entry.hold.stoppedAt,
      currency: entry.currency,
      amountMinor: total - Math.max(...amounts),
      amountKnown: true,
      facts: { source: 'gateway', captures: entry.refs.size, refs: [...entry.refs.keys()].sort(), capturedMinor: total },
    };
  }
}
