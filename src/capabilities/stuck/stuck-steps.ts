/** Which command carries each ladder step, and the per-site list of automatic steps as a lookup. */
import type { CommandInput } from '../commands/index.ts';
import type { Transaction } from '../transactions/index.ts';
import { LADDER_STEPS, type LadderStep } from './stuck-ladder.ts';

/** The question the ladder's first step asks about a transaction. */
export function transactionQuestion(tx: Pick<Transaction, 'id'>): CommandInput {
  return { type: 'getTransactionStatus', params: { transactionId: tx.id } };
}

/**
 * `station.answersTransactionQuestion`: whether the station's version can be asked about a
 * transaction (the commands capability says, from its version adapter).
 */
export function commandFor(step: Exclude<LadderStep, 'close'>, tx: Pick<Transaction, 'id' | 'evseId'>, station: { answersTransactionQuestion: boolean }): CommandInput {
  const evseId = tx.evseId ?? undefined;
  switch (step) {
    case 'ask':
      // A version without the question (1.6) is asked for the connector's status instead (charging = alive).
      if (!station.answersTransactionQuestion) {
        return { type: 'trigger', params: evseId === undefined ? { message: 'status' } : { message: 'status', evseId } };
      }
      return transactionQuestion(tx);
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
