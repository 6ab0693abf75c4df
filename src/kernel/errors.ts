/**
 * Coded errors: real failures that an edge maps to its own vocabulary
 * (OCPP CALLERROR, HTTP problem+json). Expected outcomes are values, not errors.
 * The code must be one of the registry's (error-codes.ts), so every code a
 * client can see has a documented status and meaning.
 */
import type { ErrorCode } from './error-codes.ts';

export type { ErrorCode };

export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Structured facts for the client (a CSV line, ...): sent as the problem's `details` member, so never a secret. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

export function isCodedError(value: unknown): value is CodedError {
  return value instanceof CodedError;
}
