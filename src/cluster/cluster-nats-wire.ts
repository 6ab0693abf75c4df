/**
 * What crosses NATS for a forwarded call, and how its failures become the
 * same OcppRemoteError codes a local call throws (StationOffline, Timeout,
 * the station's CALLERROR code, ...), so callers cannot tell where the
 * station is.
 */
import { OcppRemoteError } from '../ocpp/ocpp-error-codes.ts';

export interface CallRequest {
  stationId: string;
  action: string;
  payload: unknown;
  timeoutMs?: number;
}

export type CallReply =
  | { ok: true; payload: unknown }
  /** `NotHere`: the addressed node no longer holds the station (it moved meanwhile). */
  | { ok: false; code: string; message: string; details?: unknown };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson<T>(data: Uint8Array): T {
  return JSON.parse(decoder.decode(data)) as T;
}

/** A local call's rejection as a reply; anything that is not an OcppRemoteError is an InternalError. */
export function callFailure(error: unknown): CallReply {
  if (error instanceof OcppRemoteError) return { ok: false, code: error.code, message: error.message, details: error.details };
  return { ok: false, code: 'InternalError', message: (error as Error)?.message ?? String(error) };
}

/** A NATS request that got no reply: the node is gone (no responders) or did not answer in time. */
export function remoteRequestError(error: unknown, stationId: string, nodeId: string, timeoutMs: number): OcppRemoteError {
  const chain = [error, (error as { cause?: unknown })?.cause];
  const named = (name: string) => chain.some((e) => (e as Error | undefined)?.name === name);
  if (named('NoRespondersError') || (error as { isNoResponders?: () => boolean })?.isNoResponders?.()) {
    return new OcppRemoteError('StationOffline', `node ${nodeId} holding station ${stationId} is not reachable`);
  }
  if (named('TimeoutError')) return new OcppRemoteError('Timeout', `node ${nodeId} did not answer for station ${stationId} within ${timeoutMs} ms`);
  return new OcppRemoteError('StationOffline', `call to station ${stationId} on node ${nodeId} failed: ${(error as Error)?.message ?? String(error)}`);
}
