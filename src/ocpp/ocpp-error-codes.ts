/**
 * CALLERROR codes and their per-version spelling. OCPP-J 1.6 §4.2.3 spells
 * `FormationViolation` and `OccurenceConstraintViolation`; OCPP 2.0.1 Part 4
 * §4.3 renamed them and added RpcFrameworkError and MessageTypeNotSupported.
 * Code inside the CSMS uses the 2.x names; `spellErrorCode` (ocpp-versions.ts)
 * translates at the edge with each version's spelling.
 */

export type OcppErrorCode =
  | 'FormatViolation'
  | 'GenericError'
  | 'InternalError'
  | 'MessageTypeNotSupported'
  | 'NotImplemented'
  | 'NotSupported'
  | 'OccurrenceConstraintViolation'
  | 'PropertyConstraintViolation'
  | 'ProtocolError'
  | 'RpcFrameworkError'
  | 'SecurityError'
  | 'TypeConstraintViolation';

/** An error that an inbound handler throws to answer with a specific CALLERROR. */
export class OcppCallError extends Error {
  constructor(
    readonly code: OcppErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'OcppCallError';
  }
}

/** Rejection of an outgoing call: the station answered CALLERROR, or it timed out. */
export class OcppRemoteError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: unknown = {},
  ) {
    super(message);
    this.name = 'OcppRemoteError';
  }
}
