/**
 * Coded errors: real failures that an edge maps to its own vocabulary
 * (OCPP CALLERROR, HTTP problem+json). Expected outcomes are values, not errors.
 */
export type ErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'invalid-input'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'station-offline'
  | 'timeout'
  | 'internal';

export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

export function isCodedError(value: unknown): value is CodedError {
  return value instanceof CodedError;
}
