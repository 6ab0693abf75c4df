/**
 * The remediation ladder of a stuck transaction, cheapest and safest first:
 *
 *   ask -> stop -> unlock -> reset-soft -> reset-hard -> close
 *
 * Pure state machine: `advance` takes the case and what is known now and
 * returns the case after it plus at most one effect (send a step's command,
 * close the transaction in the backend). Every step ends with a recorded
 * outcome; a step that does not apply is recorded as skipped with why.
 */
import { PHYSICALLY_ENDED, type StuckReason } from './stuck.ts';

export const LADDER_STEPS = ['ask', 'stop', 'unlock', 'reset-soft', 'reset-hard', 'close'] as const;
export type LadderStep = (typeof LADDER_STEPS)[number];

/** Per-site remediation policy (config `stuck.defaults` / `stuck.sites`). */
export interface LadderPolicy {
  /** Steps that run without an operator; the others wait for POST .../approve. */
  automatic: Readonly<Record<LadderStep, boolean>>;
  /** How long a step waits for its command's answer and then for the transaction to close. */
  stepTimeoutSec: number;
  /** Reset a station even while another of its transactions is healthy. */
  resetWithOtherTransactions: boolean;
}

export type CaseStatus = 'open' | 'awaiting-operator' | 'resolved' | 'closed-by-backend' | 'cleared' | 'dismissed';
export const FINAL_CASE_STATUSES: readonly CaseStatus[] = ['resolved', 'closed-by-backend', 'cleared', 'dismissed'];

export type StepOutcome =
  | 'accepted' // the station accepted; the transaction did not close within the step timeout
  | 'rejected'
  | 'failed' // CALLERROR, no answer in time, connection lost, untranslatable
  | 'timeout' // the command got no outcome within the step timeout
  | 'station-says-ended'
  | 'still-ongoing'
  | 'connector-freed'
  | 'transaction-closed' // the station closed it (a real stop arrived) during the step
  | 'closed' // the backend closed it
  | 'skipped';

export interface StepRecord {
  step: LadderStep;
  startedAt: Date;
  endedAt: Date | null;
  commandId: string | null;
  outcome: StepOutcome | null;
  detail: string | null;
}

export interface StuckCase {
  id: string;
  transactionId: string;
  stationId: string;
  evseId: number | null;
  status: CaseStatus;
  reasons: StuckReason[];
  detectedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** Done and running steps, in order; the last one without `endedAt` is running. */
  steps: StepRecord[];
  /** The step waiting for an operator (status awaiting-operator). */
  pendingStep: LadderStep | null;
  /** The pending step once an operator approved it. */
  approvedStep: LadderStep | null;
}

export interface CommandProgress {
  state: 'queued' | 'sent' | 'accepted' | 'rejected' | 'failed' | 'expired';
  answeredAt?: Date | null;
  /** GetTransactionStatus answer, when the command was one. */
  ongoing?: boolean;
  messagesInQueue?: boolean;
  error?: string | null;
}

export interface LadderContext {
  now: Date;
  policy: LadderPolicy;
  /** 1.6 has no GetTransactionStatus: ask is a TriggerMessage StatusNotification there. */
  online: boolean;
  /** Reasons that still hold now (detection re-run). */
  reasons: StuckReason[];
  transactionClosed: boolean;
  otherHealthyTransaction: boolean;
  /** The connector is Available: the cable is out (unlock is pointless; a step that gets here is done). */
  connectorUnplugged: boolean;
  /** Available or finishing: nothing charges there (a reset would only disturb the station). */
  connectorFree: boolean;
  /** Progress of the running step's command, if it has one. */
  command: CommandProgress | null;
}

export type LadderEffect = { kind: 'command'; step: Exclude<LadderStep, 'close'> } | { kind: 'close' };

export interface Advance {
  next: StuckCase;
  effect: LadderEffect | null;
}

/** Detail of a step an operator approved (metrics tell automatic from operator-made resolutions by it). */
export const APPROVED = 'approved by an operator';

export function isFinalCase(status: CaseStatus): boolean {
  return FINAL_CASE_STATUSES.includes(status);
}

export function openCase(id: string, tx: { id: string; stationId: string; evseId: number | null }, reasons: StuckReason[], now: Date): StuckCase {
  return { id, transactionId: tx.id, stationId: tx.stationId, evseId: tx.evseId, status: 'open', reasons, detectedAt: now, updatedAt: now, finishedAt: null, steps: [], pendingStep: null, approvedStep: null };
}

const running = (c: StuckCase): StepRecord | undefined => {
  const last = c.steps.at(-1);
  return last && last.endedAt === null ? last : undefined;
};

function endStep(c: StuckCase, outcome: StepOutcome, now: Date, detail: string | null = null): StuckCase {
  const join = (s: StepRecord) => (detail === null ? s.detail : s.detail === null ? detail : `${s.detail}; ${detail}`);
  const steps = c.steps.map((s, i) => (i === c.steps.length - 1 && s.endedAt === null ? { ...s, endedAt: now, outcome, detail: join(s) } : s));
  return { ...c, steps, updatedAt: now };
}

function finish(c: StuckCase, status: CaseStatus, now: Date): StuckCase {
  return { ...c, status, finishedAt: now, updatedAt: now, pendingStep: null, approvedStep: null };
}

/** Why a step does not apply now, or null when it does. */
function skipReason(step: LadderStep, ctx: LadderContext, ended: boolean): string | null {
  if (step === 'close') return null;
  if (!ctx.online) return 'station offline';
  if (step === 'ask') return null;
  if (ended) return 'the session is over on the station; only the backend record is open';
  if (step === 'unlock' && ctx.connectorUnplugged) return 'connector is free (unplugged)';
  if (step === 'reset-soft' || step === 'reset-hard') {
    if (ctx.connectorFree) return 'connector is free (nothing charges there)';
    if (ctx.otherHealthyTransaction && !ctx.policy.resetWithOtherTransactions) return 'another transaction on the station is healthy';
  }
  return null;
}

/**
 * One step of the ladder. Called on every sweep, command outcome and
 * relevant event; cheap and idempotent when nothing changed.
 */
export function advance(current: StuckCase, ctx: LadderContext): Advance {
  if (isFinalCase(current.status)) return { next: current, effect: null };
  const now = ctx.now;
  let c: StuckCase = { ...current, reasons: ctx.reasons.length > 0 ? ctx.reasons : current.reasons };
  const step = running(c);
  const lastStep = c.steps.at(-1)?.step;
  // Closed by the station meanwhile: the ladder worked (or the station caught up by itself).
  if (ctx.transactionClosed) {
    if (step) c = endStep(c, 'transaction-closed', now);
    return { next: finish(c, 'resolved', now), effect: null };
  }
  if (ctx.reasons.length === 0 && !(step?.step === 'close')) {
    // Healthy again (fresh events, the station says it is ongoing): nothing to remediate.
    if (step) c = endStep(c, lastStep === 'ask' ? 'still-ongoing' : 'accepted', now, 'the transaction showed life again');
    return { next: finish(c, 'cleared', now), effect: null };
  }
  let ended = ctx.reasons.some((r) => PHYSICALLY_ENDED.has(r));
  if (step) {
    const cmd = ctx.command;
    // A command on the wire is waited for (the OCPP call timeout bounds it): a slow station is not
    // skipped over. The step's time for its effect counts from the answer.
    const from = cmd?.answeredAt ?? step.startedAt;
    const timedOut = cmd?.state !== 'sent' && (now.getTime() - from.getTime()) / 1000 >= ctx.policy.stepTimeoutSec;
    if (cmd && (cmd.state === 'rejected' || cmd.state === 'failed' || cmd.state === 'expired')) {
      c = endStep(c, cmd.state === 'expired' ? 'failed' : cmd.state, now, cmd.error ?? null);
    } else if (step.step === 'ask' && cmd?.state === 'accepted' && cmd.ongoing === false && !cmd.messagesInQueue) {
      c = endStep(c, 'station-says-ended', now);
      ended = true;
    } else if (cmd?.state === 'accepted' && ctx.connectorUnplugged) {
      c = endStep(c, 'connector-freed', now);
    } else if (timedOut) {
      c = endStep(c, !cmd || cmd.state === 'queued' || cmd.state === 'sent' ? 'timeout' : cmd.ongoing === true ? 'still-ongoing' : 'accepted', now);
    } else {
      return { next: c, effect: null };
    }
  }
  // Pick the next step after the last one that ran (or was skipped).
  const from = c.steps.length === 0 ? 0 : LADDER_STEPS.indexOf(c.steps.at(-1)!.step) + 1;
  for (let i = from; i < LADDER_STEPS.length; i++) {
    const candidate = LADDER_STEPS[i] as LadderStep;
    const skip = skipReason(candidate, ctx, ended);
    if (skip) {
      c = { ...c, steps: [...c.steps, { step: candidate, startedAt: now, endedAt: now, commandId: null, outcome: 'skipped', detail: skip }], updatedAt: now };
      continue;
    }
    if (!ctx.policy.automatic[candidate] && c.approvedStep !== candidate) {
      return { next: { ...c, status: 'awaiting-operator', updatedAt: now, pendingStep: candidate }, effect: null };
    }
    const detail = ctx.policy.automatic[candidate] ? null : APPROVED;
    c = { ...c, status: 'open', pendingStep: null, approvedStep: null, steps: [...c.steps, { step: candidate, startedAt: now, endedAt: null, commandId: null, outcome: null, detail }], updatedAt: now };
    return { next: c, effect: candidate === 'close' ? { kind: 'close' } : { kind: 'command', step: candidate } };
  }
  return { next: finish(c, 'closed-by-backend', now), effect: null };
}

/** Records the command a step sent, so its outcome can be followed. */
export function attachCommand(c: StuckCase, commandId: string): StuckCase {
  const steps = c.steps.map((s, i) => (i === c.steps.length - 1 && s.endedAt === null ? { ...s, commandId } : s));
  return { ...c, steps };
}

/** The backend close step finished (the transactions capability wrote the estimate). */
export function closed(c: StuckCase, now: Date, detail: string): StuckCase {
  return finish(endStep(c, 'closed', now, detail), 'closed-by-backend', now);
}

/** Operator: run the waiting step. */
export function approve(c: StuckCase, now: Date): StuckCase | string {
  if (c.status !== 'awaiting-operator' || c.pendingStep === null) return `case is ${c.status}, not awaiting an operator`;
  return { ...c, approvedStep: c.pendingStep, updatedAt: now };
}

/** Operator: not stuck (or handled outside the CSMS); the case ends and the transaction is left alone. */
export function dismiss(c: StuckCase, now: Date): StuckCase | string {
  if (isFinalCase(c.status)) return `case is already ${c.status}`;
  const withEnd = running(c) ? endStep(c, 'skipped', now, 'dismissed by an operator') : c;
  return finish(withEnd, 'dismissed', now);
}
