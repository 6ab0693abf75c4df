/**
 * Opening the station's WebSocket: endpoint URL, subprotocol, Basic auth, refused handshakes,
 * and the reconnect backoff schedule.
 */
import WebSocket from 'ws';
import { SimError } from './sim-types.ts';

export interface SimSocketOptions {
  /** Base endpoint, e.g. ws://127.0.0.1:8080/ocpp. */
  url: string;
  id: string;
  subprotocol: string;
  password?: string;
  handshakeTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * The station identity is the last path segment of the endpoint (OCPP-J 1.6 §3.1.1,
 * 2.0.1 Part 4 §3.1.1), percent-encoded because ids may contain reserved characters.
 */
export function stationUrl(base: string, id: string): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
}

/**
 * Security profile 1 ("Unsecured Transport with Basic Authentication", OCPP 2.0.1 Part 2 A00;
 * same profile in the OCPP 1.6 security whitepaper): HTTP Basic auth, username = station identity.
 */
export function basicAuthHeader(id: string, password: string): string {
  return `Basic ${Buffer.from(`${id}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Resolve with an open socket that agreed on `subprotocol`, or reject with a SimError:
 * HandshakeRefused (with `.statusCode`) when the server answered the upgrade with an HTTP error,
 * ConnectFailed for network errors or a missing subprotocol, Stopped when `signal` aborted.
 * Never leaves an 'error' event unhandled.
 */
export function openSocket(options: SimSocketOptions): Promise<WebSocket> {
  const headers: Record<string, string> = {};
  if (options.password !== undefined) headers.Authorization = basicAuthHeader(options.id, options.password);
  const url = stationUrl(options.url, options.id);

  return new Promise<WebSocket>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new SimError('Stopped', 'Station stopped before connecting'));
      return;
    }
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, [options.subprotocol], {
        headers,
        handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
      });
    } catch (err) {
      reject(new SimError('ConnectFailed', `Invalid endpoint ${url}: ${(err as Error).message}`));
      return;
    }
    let settled = false;
    let lastError: Error | undefined;
    let refusedStatus: number | undefined;

    const onAbort = (): void => {
      lastError = new Error('aborted');
      ws.terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
    };

    // A permanent listener: 'error' on a ws must never go unhandled (it would crash the process).
    ws.on('error', (err) => {
      lastError = err;
      const match = /Unexpected server response: (\d{3})/.exec(err.message);
      if (match) refusedStatus = Number(match[1]);
    });
    ws.once('open', () => {
      finish();
      // A CSMS may send a CALL in the same TCP segment as the upgrade answer; it would be
      // emitted before the caller (after an await) attaches its listener. Hold frames until
      // SimRpcConnection resumes the socket.
      ws.pause();
      // OCPP-J: the server must agree on the offered subprotocol; ws already rejects a different
      // one, this also rejects none at all.
      if (ws.protocol !== options.subprotocol) {
        ws.terminate();
        reject(new SimError('ConnectFailed', `Server did not accept subprotocol ${options.subprotocol}`));
        return;
      }
      resolve(ws);
    });
    ws.once('close', (code) => {
      if (settled) return;
      finish();
      if (options.signal?.aborted) {
        reject(new SimError('Stopped', 'Station stopped while connecting'));
      } else if (refusedStatus !== undefined) {
        reject(new SimError('HandshakeRefused', `WebSocket upgrade to ${url} refused with HTTP ${refusedStatus}`, {
          statusCode: refusedStatus,
        }));
      } else {
        const why = lastError ? lastError.message : `closed with code ${code}`;
        reject(new SimError('ConnectFailed', `Could not connect to ${url}: ${why}`));
      }
    });
  });
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from minMs, capped at maxMs,
 * with "equal jitter" (half fixed, half random) so a fleet that lost the CSMS together does not
 * come back in one burst.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
