/**
 * What a version adapter provides: plain functions in a table keyed by action.
 * The router merges the tables at boot; handlers never see sockets.
 */
import type { Logger } from 'pino';
import type { OcppVersion } from '../kernel/protocol-version.ts';

export interface OcppCallContext {
  stationId: string;
  version: OcppVersion;
  messageId: string;
  /** Already bound to the station and message id. */
  log: Logger;
  /** When the frame was received; handlers use it instead of reading the clock. */
  receivedAt: Date;
  /** When the current connection opened: events dated before it happened while the station was offline. */
  connectedAt: Date;
}

/** Returns the response payload; throw OcppCallError for a specific CALLERROR. */
export type OcppHandler = (ctx: OcppCallContext, payload: any) => Promise<unknown> | unknown;

export interface OcppHandlerTable {
  version: OcppVersion;
  /** Which capability registered it, for the duplicate-action boot error. */
  owner: string;
  handlers: Record<string, OcppHandler>;
}
