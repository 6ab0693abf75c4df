/**
 * The station page's action form → a command request body (docs/commands.md).
 * One form per action; get/set configuration is one form for 1.6 keys and
 * 2.x `Component/Variable` names. Returns an error message instead of a body
 * when the input cannot make a valid command.
 */

export type ActionType = 'start' | 'stop' | 'unlock' | 'reset' | 'changeAvailability' | 'trigger' | 'configuration';

export interface ActionInput {
  type: ActionType;
  idToken?: string;
  evseId?: string;
  connectorId?: string;
  transactionId?: string;
  mode?: string;
  operational?: string;
  message?: string;
  /** Configuration: one key reads it (value empty) or, with a value, sets it; several keys (comma-separated) read them. */
  key?: string;
  value?: string;
}

export type Built = { ok: true; body: Record<string, unknown> } | { ok: false; error: string };

function int(text: string | undefined, name: string, min: number): number | undefined | string {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) return `${name} must be a whole number ≥ ${min}`;
  return n;
}

export function buildCommand(input: ActionInput): Built {
  const evse = int(input.evseId, 'EVSE', input.type === 'start' || input.type === 'unlock' ? 1 : 0);
  const connector = int(input.connectorId, 'Connector', 1);
  if (typeof evse === 'string') return { ok: false, error: evse };
  if (typeof connector === 'string') return { ok: false, error: connector };
  const place = { ...(evse !== undefined ? { evseId: evse } : {}), ...(connector !== undefined ? { connectorId: connector } : {}) };
  switch (input.type) {
    case 'start': {
      const idToken = input.idToken?.trim();
      if (!idToken) return { ok: false, error: 'An id token is needed to start' };
      return { ok: true, body: { type: 'start', idToken, ...place } };
    }
    case 'stop': {
      const transactionId = input.transactionId?.trim();
      if (!transactionId) return { ok: false, error: 'Choose the transaction to stop' };
      return { ok: true, body: { type: 'stop', transactionId } };
    }
    case 'unlock':
      if (evse === undefined) return { ok: false, error: 'Choose the EVSE to unlock' };
      return { ok: true, body: { type: 'unlock', ...place } };
    case 'reset':
      if (!['soft', 'hard', 'onIdle'].includes(input.mode ?? '')) return { ok: false, error: 'Choose soft, hard or when idle' };
      return { ok: true, body: { type: 'reset', mode: input.mode } };
    case 'changeAvailability':
      if (input.operational !== 'true' && input.operational !== 'false') return { ok: false, error: 'Choose operative or inoperative' };
      return { ok: true, body: { type: 'changeAvailability', operational: input.operational === 'true', ...place } };
    case 'trigger':
      if (!input.message) return { ok: false, error: 'Choose the message to trigger' };
      return { ok: true, body: { type: 'trigger', message: input.message, ...place } };
    case 'configuration': {
      const keys = (input.key ?? '').split(',').map((k) => k.trim()).filter(Boolean);
      const value = input.value ?? '';
      if (value !== '') {
        if (keys.length !== 1) return { ok: false, error: 'Set one key at a time' };
        return { ok: true, body: { type: 'setConfiguration', key: keys[0], value } };
      }
      return { ok: true, body: keys.length > 0 ? { type: 'getConfiguration', keys } : { type: 'getConfiguration' } };
    }
  }
}
