/**
 * OCPP-J message framing (OCPP-J 1.6 §4, OCPP 2.0.1 Part 4 §4, OCPP 2.1
 * Part 4 §4): a JSON array whose first element is the message type.
 * Pure: text in, a typed frame or a precise reason out.
 */
import type { OcppVersion } from '../kernel/protocol-version.ts';
import type { OcppErrorCode } from './ocpp-error-codes.ts';
import { versionEntry } from './ocpp-versions.ts';

export const MessageType = {
  Call: 2,
  CallResult: 3,
  CallError: 4,
  /** OCPP 2.1 only: the receiver of a CALLRESULT rejects it. */
  CallResultError: 5,
  /** OCPP 2.1 only: a message that expects no answer. */
  Send: 6,
} as const;

export type Payload = Record<string, unknown>;

export type Frame =
  | { type: 'call'; messageId: string; action: string; payload: unknown }
  | { type: 'result'; messageId: string; payload: unknown }
  | { type: 'error'; messageId: string; code: string; description: string; details: unknown }
  | { type: 'result-error'; messageId: string; code: string; description: string; details: unknown }
  | { type: 'send'; messageId: string; action: string; payload: unknown };

/** A frame that cannot be processed; `messageId` is "-1" when it could not be read (OCPP 2.0.1 Part 4 §4.2.3). */
export interface FrameProblem {
  type: 'invalid';
  messageId: string;
  code: OcppErrorCode;
  reason: string;
  /** True when the frame was a CALL whose id we know, so an answer can be matched by the sender. */
  answerable: boolean;
}

/** OCPP 2.0.1 Part 4 §4.1.4: a message id is a string of at most 36 characters. */
const MAX_MESSAGE_ID_LENGTH = 36;

function isValidMessageId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_MESSAGE_ID_LENGTH;
}

function problem(messageId: string, code: OcppErrorCode, reason: string, answerable = messageId !== '-1'): FrameProblem {
  return { type: 'invalid', messageId, code, reason, answerable };
}

export function parseFrame(text: string, version: OcppVersion): Frame | FrameProblem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return problem('-1', 'RpcFrameworkError', 'message is not valid JSON', true);
  }
  if (!Array.isArray(value) || value.length < 3) {
    return problem('-1', 'RpcFrameworkError', 'message is not an OCPP-J array [type, id, ...]', true);
  }
  const [messageType, messageId] = value as [unknown, unknown];
  if (!isValidMessageId(messageId)) {
    return problem('-1', 'RpcFrameworkError', 'message id must be a non-empty string of at most 36 characters', true);
  }
  const allowsSend = versionEntry(version).framing.send;
  switch (messageType) {
    case MessageType.Call:
    case MessageType.Send: {
      if (messageType === MessageType.Send && !allowsSend) break;
      // OCPP 2.1 Part 4: a SEND is never answered, not even when malformed.
      const answerable = messageType === MessageType.Call;
      if (value.length !== 4) return problem(messageId, 'RpcFrameworkError', 'CALL must have exactly 4 elements', answerable);
      const action = value[2];
      if (typeof action !== 'string' || action.length === 0) {
        return problem(messageId, 'RpcFrameworkError', 'action must be a non-empty string', answerable);
      }
      return { type: messageType === MessageType.Call ? 'call' : 'send', messageId, action, payload: value[3] };
    }
    case MessageType.CallResult:
      if (value.length !== 3) return problem(messageId, 'RpcFrameworkError', 'CALLRESULT must have exactly 3 elements', false);
      return { type: 'result', messageId, payload: value[2] };
    case MessageType.CallError:
    case MessageType.CallResultError: {
      if (messageType === MessageType.CallResultError && !versionEntry(version).framing.callResultError) break;
      if (value.length !== 5 || typeof value[2] !== 'string' || typeof value[3] !== 'string') {
        return problem(messageId, 'RpcFrameworkError', 'CALLERROR must be [4, id, code, description, details]', false);
      }
      return {
        type: messageType === MessageType.CallError ? 'error' : 'result-error',
        messageId,
        code: value[2],
        description: value[3],
        details: value[4],
      };
    }
    default:
      break;
  }
  return problem(messageId, 'MessageTypeNotSupported', `message type ${JSON.stringify(messageType)} is not supported in OCPP ${version}`);
}

export function encodeCall(messageId: string, action: string, payload: unknown): string {
  return JSON.stringify([MessageType.Call, messageId, action, payload]);
}

export function encodeResult(messageId: string, payload: unknown): string {
  return JSON.stringify([MessageType.CallResult, messageId, payload]);
}

export function encodeError(messageId: string, code: string, description: string, details: unknown = {}): string {
  // OCPP 2.0.1 Part 4 §4.2.3: ErrorDescription is at most 255 characters.
  return JSON.stringify([MessageType.CallError, messageId, code, description.slice(0, 255), details ?? {}]);
}

export function encodeResultError(messageId: string, code: string, description: string, details: unknown = {}): string {
  return JSON.stringify([MessageType.CallResultError, messageId, code, description.slice(0, 255), details ?? {}]);
}
