/**
 * What a version adapter provides: plain functions in a table keyed by action,
 * typed by the generated wire types of that version, so a wrong field name or a
 * response the schema would refuse is a type error. The router merges the
 * tables at boot; handlers never see sockets.
 */
import type { Logger } from 'pino';
import type { OcppVersion } from '../kernel/protocol-version.ts';
import type { OcppAction, OcppRequest, OcppResponse } from './ocpp-versions.ts';
import type { StationCall } from './ocpp-ports.ts';

export type { OcppAction, OcppRequest, OcppResponse } from './ocpp-versions.ts';

export interface OcppCallContext {
  stationId: string;
  /** The station's tenant, known since the handshake (ADR 20). */
  tenantId: string;
  version: OcppVersion;
  messageId: string;
  /** Already bound to the station and message id. */
  log: Logger;
  /** When the frame was received; handlers use it instead of reading the clock. */
  receivedAt: Date;
  /** When the current connection opened: events dated before it happened while the station was offline. */
  connectedAt: Date;
}

/** One action's handler; throw OcppCallError for a specific CALLERROR. */
export type OcppActionHandler<V extends OcppVersion, A extends OcppAction<V>> = (
  ctx: OcppCallContext,
  request: OcppRequest<V, A>,
) => OcppResponse<V, A> | Promise<OcppResponse<V, A>>;

export type OcppHandlers<V extends OcppVersion> = { [A in OcppAction<V>]?: OcppActionHandler<V, A> };

export interface OcppHandlerTable<V extends OcppVersion = OcppVersion> {
  version: V;
  /** Which capability registered it, for the duplicate-action boot error. */
  owner: string;
  handlers: OcppHandlers<V>;
}

type RequestIn<Vs extends OcppVersion, A extends string> = Vs extends OcppVersion ? (A extends OcppAction<Vs> ? OcppRequest<Vs, A> : never) : never;
type ResponseIn<Vs extends OcppVersion, A extends string> = Vs extends OcppVersion ? (A extends OcppAction<Vs> ? OcppResponse<Vs, A> : never) : never;
type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/**
 * One function serving an action in several versions (2.0.1 and 2.1 share most messages):
 * it accepts the request of any of them and answers what every one of them accepts.
 */
export type OcppSharedHandler<Vs extends OcppVersion, A extends string> = (
  ctx: OcppCallContext,
  request: RequestIn<Vs, A>,
) => Intersection<ResponseIn<Vs, A>> | Promise<Intersection<ResponseIn<Vs, A>>>;

/** Several actions served by shared handlers, ready to be a table of any of the versions. */
export type OcppSharedHandlers<Vs extends OcppVersion, As extends string> = { [A in As]: OcppSharedHandler<Vs, A> };

/** A table of any version, as the router takes them. */
export type AnyOcppHandlerTable = { [V in OcppVersion]: OcppHandlerTable<V> }[OcppVersion];

/**
 * A handler as the session calls it: the payload has already passed the schema of
 * the same action and version that generated the handler's request type.
 */
export type ValidatedHandler = (ctx: OcppCallContext, payload: unknown) => unknown;

/**
 * A typed CALL for one version, or for several that share the action (then the
 * payload must suit every one of them and `read` takes the answer of any).
 */
export function ocppCall<Vs extends OcppVersion, A extends OcppAction<Vs>, T>(
  _version: Vs,
  action: A,
  payload: Intersection<RequestIn<Vs, A>>,
  read: (answer: ResponseIn<Vs, A>) => T,
): StationCall<T> {
  // The session settles a call only with a CALLRESULT that passed this action's response schema (ocpp-session.ts).
  return { action, payload, read: read as (answer: unknown) => T };
}
