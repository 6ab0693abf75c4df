/**
 * CALLERROR codes and their per-version spelling. OCPP-J 1.6 §4.2.3 spells
 * `FormationViolation` and `OccurenceConstraintViolation`; OCPP 2.0.1 Part 4
 * §4.3 renamed them and added RpcFrameworkError and MessageTypeNotSupported.
 * Code inside the CSMS uses the 2.x names; `spellErrorCode` translates at the edge.
 */
import type { OcppVersion } from '../kernel/protocol-version.ts';

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

const OCPP16_SPELLING: Partial<Record<OcppErrorCode, string>> = {
  FormatViolation: 'FormationViolation',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  // 1.6 has no frame-level codes: an unreadable frame is a formation error there.
  RpcFrameworkError: 'FormationViolation',
  MessageTypeNotSupported: 'NotSupported',
};

export function spellErrorCode(code: OcppErrorCode, version: OcppVersion): string {
  return version === '1.6' ? (OCPP16_SPELLING[code] ?? code) : code;
}

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
