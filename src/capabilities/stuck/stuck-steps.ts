/** Which command carries each ladder step, and the per-site list of automatic steps as a lookup. */
import type { CommandInput } from '../commands/index.ts';
import type { Transaction } from '../transactions/index.ts';
import { LADDER_STEPS, type LadderStep } from './stuck-ladder.ts';

export function commandFor(step: Exclude<LadderStep, 'close'>, tx: Pick<Transaction, 'id' | 'evseId' | 'ocppVersion'>): CommandInput {
  const evseId = tx.evseId ?? undefined;
  switch (step) {
    case 'ask':
      // 1.6 has no GetTransactionStatus: ask for the connector's status instead (Charging = alive).
      if (tx.ocppVersion === '1.6') {
        return { type: 'trigger', params: evseId === undefined ? { message: 'status' } : { message: 'status', evseId } };
      }
      return { type: 'getTransactionStatus', params: { transactionId: tx.id } };
    case 'stop':
      return { type: 'stop', params: { transactionId: tx.id } };
    case 'unlock':
      return { type: 'unlock', params: { evseId: evseId ?? 1 } };
    case 'reset-soft':
      return { type: 'reset', params: { mode: 'soft' } };
    case 'reset-hard':
      return { type: 'reset', params: { mode: 'hard' } };
  }
}

export function automaticOf(steps: readonly LadderStep[]): Record<LadderStep, boolean> {
  return Object.fromEntries(LADDER_STEPS.map((step) => [step, steps.includes(step)])) as Record<LadderStep, boolean>;
}
