/**
 * A simulated 2.0.1 / 2.1 station's display: it keeps the messages the CSMS sets, answers
 * SetDisplayMessage (refusing priorities and formats it does not support), GetDisplayMessages
 * (Accepted, then the matching messages in NotifyDisplayMessages parts; Unknown when none match)
 * and ClearDisplayMessage (Accepted, or Unknown for an id it does not hold).
 * Every answer is valid against the official 2.0.1 and 2.1 schemas.
 */
import type { SimCallHandler } from './sim-rpc-connection.ts';
import type { SimPayload } from './sim-types.ts';

export interface SimDisplayOptions {
  /** Sends a CALL to the CSMS (the station's `call`). */
  send: (action: string, payload: SimPayload) => Promise<unknown>;
  /** Priorities the display shows; others are answered NotSupportedPriority. Default: all three. */
  priorities?: readonly string[];
  /** Formats it renders; others are answered NotSupportedMessageFormat. Default: ASCII, UTF8, URI, HTML. */
  formats?: readonly string[];
  /** Messages per NotifyDisplayMessages part. Default 1, so two messages make two parts. */
  perPart?: number;
}

export interface SimDisplay {
  /** The messages the display holds, by id. */
  readonly messages: Map<number, SimPayload>;
  readonly handlers: Record<'SetDisplayMessage' | 'GetDisplayMessages' | 'ClearDisplayMessage', SimCallHandler>;
}

const asRecord = (value: unknown): SimPayload => (typeof value === 'object' && value !== null ? (value as SimPayload) : {});

export function simDisplay(options: SimDisplayOptions): SimDisplay {
  const priorities = options.priorities ?? ['AlwaysFront', 'InFront', 'NormalCycle'];
  const formats = options.formats ?? ['ASCII', 'UTF8', 'URI', 'HTML'];
  const perPart = Math.max(1, options.perPart ?? 1);
  const messages = new Map<number, SimPayload>();

  const setMessage: SimCallHandler = (payload) => {
    const message = asRecord(payload.message);
    if (!priorities.includes(String(message.priority))) return { status: 'NotSupportedPriority' };
    if (!formats.includes(String(asRecord(message.message).format))) return { status: 'NotSupportedMessageFormat' };
    messages.set(Number(message.id), message);
    return { status: 'Accepted' };
  };

  const getMessages: SimCallHandler = (payload, ctx) => {
    const ids = Array.isArray(payload.id) ? (payload.id as number[]) : null;
    const matching = [...messages.values()].filter(
      (m) =>
        (!ids || ids.includes(Number(m.id))) &&
        (payload.priority === undefined || m.priority === payload.priority) &&
        (payload.state === undefined || m.state === payload.state),
    );
    if (matching.length === 0) return { status: 'Unknown' };
    ctx.afterReply(() => {
      void (async () => {
        for (let i = 0; i < matching.length; i += perPart) {
          const part = matching.slice(i, i + perPart);
          const tbc = i + perPart < matching.length;
          await options.send('NotifyDisplayMessages', { requestId: payload.requestId, messageInfo: part, ...(tbc ? { tbc } : {}) });
        }
      })().catch(() => undefined);
    });
    return { status: 'Accepted' };
  };

  const clearMessage: SimCallHandler = (payload) => (messages.delete(Number(payload.id)) ? { status: 'Accepted' } : { status: 'Unknown' });

  return { messages, handlers: { SetDisplayMessage: setMessage, GetDisplayMessages: getMessages, ClearDisplayMessage: clearMessage } };
}
