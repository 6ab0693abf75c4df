/**
 * The OCPP-J endpoint on the shared HTTP server: checks each upgrade request
 * (path, subprotocol, credentials) before accepting it, then gives the socket
 * an OcppSession and registers it with the cluster. Also runs the WebSocket
 * keep-alive sweep.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { ClusterPort, StationLink } from '../cluster/cluster-port.ts';
import type { OcppVersion } from '../kernel/protocol-version.ts';
import { checkHandshake } from './ocpp-handshake.ts';
import type { ConnectionLifecycle } from './ocpp-ports.ts';
import { OcppSession, type SessionEnvironment } from './ocpp-session.ts';
import { SUBPROTOCOL_VERSION, type OcppSubprotocol } from './ocpp-subprotocols.ts';

export interface OcppServerOptions {
  protocols: readonly OcppSubprotocol[];
  maxFrameBytes: number;
  pingIntervalMs: number;
  cluster: ClusterPort;
  lifecycle: ConnectionLifecycle;
  session: SessionEnvironment;
  log: Logger;
}

/** How long a stopping server waits for stations to answer its close frame. */
const CLOSE_GRACE_MS = 2000;
/** How long a stopping server waits for the messages it is handling to be answered. */
const DRAIN_MS = 5000;
/**
 * WebSocket close code 1012, "Service Restart" (IANA close code registry, RFC 6455 §11.7):
 * the station should reconnect, and a load balancer sends it to a node that is up.
 */
const CLOSE_SERVICE_RESTART = 1012;

function refuse(socket: Duplex, status: number, reason: string, extraHeaders: string[] = []): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${reason}\n`;
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
      'Connection: close',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...extraHeaders,
      '',
      body,
    ].join('\r\n'),
  );
}

export class OcppServer {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<OcppSession>();
  /** Disconnect bookkeeping still running (cluster detach, connection history): close() waits for it. */
  private readonly closing = new Set<Promise<void>>();
  private keepAlive?: NodeJS.Timeout;
  /** Set by close(): new connections are refused with 503 so a load balancer tries another node. */
  private stopping = false;

  constructor(private readonly options: OcppServerOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes,
      perMessageDeflate: false,
      // The subprotocol was already negotiated in checkHandshake; echo it.
      handleProtocols: (offered) => {
        for (const p of options.protocols) if (offered.has(p)) return p;
        return false;
      },
    });
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  attachTo(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      this.onUpgrade(request, socket, head).catch((error: unknown) => {
        this.options.log.error({ err: error }, 'upgrade failed');
        refuse(socket, 500, 'internal error');
      });
    });
    if (this.options.pingIntervalMs > 0) {
      this.keepAlive = setInterval(() => this.sweepKeepAlive(), this.options.pingIntervalMs);
      this.keepAlive.unref();
    }
  }

  private async onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { log, lifecycle } = this.options;
    const remote = request.socket.remoteAddress;
    if (this.stopping) return refuse(socket, 503, 'CSMS node is shutting down', ['Retry-After: 1']);
    const check = checkHandshake(request.url, request.headers, this.options.protocols);
    if (!check.ok) {
      log.warn({ stationId: check.stationId, remote, status: check.status, reason: check.reason }, 'OCPP handshake refused');
      return refuse(socket, check.status, check.reason);
    }
    const admission = await lifecycle.admit(check.stationId, check.credentials);
    if (!admission.admitted) {
      log.warn({ stationId: check.stationId, remote, status: admission.status, reason: admission.reason }, 'OCPP handshake refused');
      return refuse(socket, admission.status, 'station not authorized', admission.status === 401 ? ['WWW-Authenticate: Basic realm="OCPP"'] : []);
    }
    if (socket.destroyed) return;
    // The node began to stop while this station was being admitted: it must go elsewhere.
    if (this.stopping) return refuse(socket, 503, 'CSMS node is shutting down', ['Retry-After: 1']);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.onOpen(ws, check.stationId, admission.tenantId, SUBPROTOCOL_VERSION[check.subprotocol], remote));
  }

  private onOpen(ws: WebSocket, stationId: string, tenantId: string, version: OcppVersion, remote: string | undefined): void {
    const { cluster, lifecycle, log } = this.options;
    const session = new OcppSession(stationId, version, tenantId, ws, this.options.session);
    const link: StationLink = session;
    this.sessions.add(session);
    log.info({ stationId, tenantId, ocppVersion: version, remote }, 'station connected');
    ws.on('error', (error) => log.warn({ stationId, err: error.message }, 'socket error'));
    ws.on('close', (code, reasonBuffer) => {
      const reason = `${code}${reasonBuffer.length ? ` ${reasonBuffer.toString()}` : ''}`;
      session.dispose(reason);
      this.sessions.delete(session);
      const bookkeeping = cluster.detach(link).then(async (wasCurrent) => {
        log.info({ stationId, reason, replaced: !wasCurrent }, 'station disconnected');
        if (wasCurrent) await lifecycle.disconnected(stationId, reason, this.options.session.clock());
      }).catch((error: unknown) => log.error({ stationId, err: error }, 'disconnect bookkeeping failed'));
      this.closing.add(bookkeeping);
      void bookkeeping.finally(() => this.closing.delete(bookkeeping));
    });
    void cluster.attach(link).then(() => lifecycle.connected(stationId, version, session.connectedAt))
      .catch((error: unknown) => log.error({ stationId, err: error }, 'connect bookkeeping failed'));
  }

  /** One timer for all sockets: ping each; a socket that missed the previous pong is dead. */
  private sweepKeepAlive(): void {
    for (const session of this.sessions) {
      if (session.awaitingPong) {
        this.options.log.warn({ stationId: session.stationId }, 'no pong within the keep-alive interval; dropping connection');
        session.terminate();
        continue;
      }
      session.ping();
    }
  }

  /**
   * Stops the endpoint without losing a message: no new connections; every station gets the
   * answers to the messages being handled (committed to the database), then a close frame
   * with 1012 so it reconnects at once, to another node in a cluster.
   */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.keepAlive) clearInterval(this.keepAlive);
    await Promise.all([...this.sessions].map((session) => session.closeWhenIdle(CLOSE_SERVICE_RESTART, 'CSMS node restarting', DRAIN_MS)));
    // Give the stations a moment to answer the close frame, then cut the rest, and let every
    // disconnect be recorded before the caller closes the database.
    await this.whileSessionsOpen(CLOSE_GRACE_MS);
    for (const session of this.sessions) session.terminate();
    await this.whileSessionsOpen(500);
    // Only now: ws calls back from close() once every client socket is gone, and a station
    // that never answers a close frame would otherwise hold the stop for ws's 30 s timeout.
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await Promise.allSettled([...this.closing]);
  }

  private async whileSessionsOpen(maxMs: number): Promise<void> {
    for (let waited = 0; this.sessions.size > 0 && waited < maxMs; waited += 25) await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
