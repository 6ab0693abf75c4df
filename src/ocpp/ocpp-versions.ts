/**
 * The version registry: every fact of an OCPP version that the transport needs,
 * in one entry per version (subprotocol, schema bundle, CALLERROR spelling,
 * framing, the boot action), plus the map from version to its generated wire
 * types. Adding a version adds its name to the kernel's OcppVersion, an entry
 * here, its generated messages file and the capabilities' adapter files; the
 * compiler then lists every per-version record (translators, setting keys)
 * that still lacks the new version. Handler tables are lists, so a capability
 * without a table for the version compiles and answers its actions NotSupported.
 */
import type { OcppVersion } from '../kernel/protocol-version.ts';
import type { OcppErrorCode } from './ocpp-error-codes.ts';
import type { Ocpp16Messages } from './wire/ocpp16-messages.ts';
import type { Ocpp201Messages } from './wire/ocpp201-messages.ts';
import type { Ocpp21Messages } from './wire/ocpp21-messages.ts';

export type OcppSubprotocol = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';

export interface OcppVersionEntry {
  version: OcppVersion;
  /** The WebSocket subprotocol (OCPP-J 1.6 §3.1.2, OCPP 2.0.1 Part 4 §3.1.2). */
  subprotocol: OcppSubprotocol;
  /** The official schema bundle inside the ocpp-rpc package; the wire types are generated from the same file. */
  schemaFile: string;
  /** Where this version spells a CALLERROR code differently from the 2.x names the CSMS uses inside. */
  errorSpelling: Partial<Record<OcppErrorCode, string>>;
  /** OCPP 2.1 Part 4 adds CALLRESULTERROR (type 5, answering a bad CALLRESULT) and SEND (type 6, a CALL without answer). */
  framing: { callResultError: boolean; send: boolean };
  /** The only action a station may send before its registration is accepted. */
  bootAction: string;
}

export const OCPP_VERSION_REGISTRY: { readonly [V in OcppVersion]: OcppVersionEntry & { version: V } } = {
  '1.6': {
    version: '1.6',
    subprotocol: 'ocpp1.6',
    schemaFile: 'lib/schemas/ocpp1_6.json',
    // OCPP-J 1.6 §4.2.3 spells these two differently and has no frame-level codes:
    // an unreadable frame is a formation error there, an unknown message type NotSupported.
    errorSpelling: {
      FormatViolation: 'FormationViolation',
      OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
      RpcFrameworkError: 'FormationViolation',
      MessageTypeNotSupported: 'NotSupported',
    },
    framing: { callResultError: false, send: false },
    bootAction: 'BootNotification',
  },
  '2.0.1': {
    version: '2.0.1',
    subprotocol: 'ocpp2.0.1',
    schemaFile: 'lib/schemas/ocpp2_0_1.json',
    errorSpelling: {},
    framing: { callResultError: false, send: false },
    bootAction: 'BootNotification',
  },
  '2.1': {
    version: '2.1',
    subprotocol: 'ocpp2.1',
    schemaFile: 'lib/schemas/ocpp2_1.json',
    errorSpelling: {},
    framing: { callResultError: true, send: true },
    bootAction: 'BootNotification',
  },
};

/**
 * Schema ids name the action and direction: `urn:BootNotification.req` (1.6, 2.0.1) or
 * `urn:BootNotificationRequest` (2.1); a 2.1 message sent without a response (the SEND
 * frame, e.g. `urn:NotifyPeriodicEventStream`) has no suffix and is a request.
 */
const SCHEMA_ID = /^urn:(?<action>[A-Za-z0-9]+?)(?<suffix>\.req|\.conf|Request|Response)?$/;

export function parseSchemaId(id: string): { action: string; direction: 'request' | 'response' } | null {
  const groups = SCHEMA_ID.exec(id)?.groups;
  if (!groups?.action) return null;
  const suffix = groups.suffix;
  return { action: groups.action, direction: suffix === undefined || suffix === '.req' || suffix === 'Request' ? 'request' : 'response' };
}

export function versionEntry(version: OcppVersion): OcppVersionEntry {
  return OCPP_VERSION_REGISTRY[version];
}

/** The code as this version's peers expect to read it. */
export function spellErrorCode(code: OcppErrorCode, version: OcppVersion): string {
  return OCPP_VERSION_REGISTRY[version].errorSpelling[code] ?? code;
}

// --- Wire types, generated from the same schema bundles (tools/generate-wire-types.ts) ------

export interface OcppMessagesByVersion {
  '1.6': Ocpp16Messages;
  '2.0.1': Ocpp201Messages;
  '2.1': Ocpp21Messages;
}

/** Every action name a version defines, in either direction. */
export type OcppAction<V extends OcppVersion> = keyof OcppMessagesByVersion[V] & string;

export type OcppRequest<V extends OcppVersion, A extends OcppAction<V>> = OcppMessagesByVersion[V][A] extends { request: infer R } ? R : never;

export type OcppResponse<V extends OcppVersion, A extends OcppAction<V>> = OcppMessagesByVersion[V][A] extends { response: infer R } ? R : never;
