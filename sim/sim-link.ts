/**
 * SimLink keeps one station's OCPP-J connection up: first connect, reconnect with backoff after a
 * lost connection, graceful restart for Reset, abrupt drop for fault injection, and stop.
 *
 * Events: 'open' (info: {reconnect: boolean, bootReason?: string}); 'close' (code, reason);
 * 'call' (action, payload) re-emitted from the RPC connection. Never emits 'error'.
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { SimRpcConnection, type SimCallHandler, type SimRpcConnectionOptions } from './sim-rpc-connection.ts';
import { backoffDelay, openSocket } from './sim-socket.ts';
import { SimError } from './sim-types.ts';

export interface SimLinkOptions {
  url: string;
  id: string;
  subprotocol: string;
  password?: string | undefined;
  handshakeTimeoutMs?: number | undefined;
  callTimeoutMs: number;
  handlers: Map<string, SimCallHandler>;
  dialect: '1.6' | '2.x';
  shouldAnswer: (action: string) => boolean;
  reconnect: false | { minMs: number; maxMs: number };
  resetDelayMs: number;
  log: (line: string) => void;
}

export interface SimLinkOpenInfo {
  reconnect: boolean;
  /** Set when the link came back after restart(reason), e.g. 'RemoteReset'. */
  bootReason?: string;
}

export class SimLink extends EventEmitter {
  /** Increments on every new socket; lets callers notice that "their" connection is gone. */
  generation = 0;
  private readonly opts: SimLinkOptions;
  private ws: WebSocket | undefined;
  private rpc: SimRpcConnection | undefined;
  private stopped = true;
  private abort: AbortController | undefined;
  private attempt = 0;
  private restartReason: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: SimLinkOptions) {
    super();
    this.opts = options;
  }

  get conn(): SimRpcConnection | undefined {
    return this.rpc;
  }

  get connected(): boolean {
    return this.rpc?.isOpen ?? false;
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** First connect. Rejects (and stays stopped) when it fails; a failed first connect is not retried. */
  async open(): Promise<void> {
    if (!this.stopped) throw new SimError('AlreadyStarted', `${this.opts.id} is already started`);
    this.stopped = false;
    this.abort = new AbortController();
    try {
      await this.connect({ reconnect: false });
    } catch (err) {
      this.stopped = true;
      throw err;
    }
  }

  /** Close (gracefully, or abruptly like a lost network with `abrupt`); no reconnect afterwards. */
  async close(options: { abrupt?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    clearTimeout(this.timer);
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => ws.terminate(), 2000);
      ws.once('close', () => { clearTimeout(force); resolve(); });
      if (ws.readyState === WebSocket.OPEN && !options.abrupt) ws.close(1000, 'Simulator stopped');
      else ws.terminate();
    });
  }

  /** Terminate the socket without a closing handshake; the usual reconnect policy applies. */
  async drop(): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }

  /** Close gracefully and come back after resetDelayMs regardless of the reconnect policy (a reboot). */
  restart(bootReason: string): void {
    if (!this.ws) return;
    this.restartReason = bootReason;
    this.ws.close(1000, 'Reset');
  }

  private async connect(info: SimLinkOpenInfo): Promise<void> {
    const ws = await openSocket({
      url: this.opts.url,
      id: this.opts.id,
      subprotocol: this.opts.subprotocol,
      ...(this.opts.password === undefined ? {} : { password: this.opts.password }),
      ...(this.opts.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: this.opts.handshakeTimeoutMs }),
      ...(this.abort ? { signal: this.abort.signal } : {}),
    });
    if (this.stopped) {
      ws.terminate();
      throw new SimError('Stopped', `${this.opts.id} was stopped while connecting`);
    }
    const gen = ++this.generation;
    const rpcOptions: SimRpcConnectionOptions = {
      callTimeoutMs: this.opts.callTimeoutMs,
      handlers: this.opts.handlers,
      dialect: this.opts.dialect,
      shouldAnswer: this.opts.shouldAnswer,
      log: this.opts.log,
    };
    this.ws = ws;
    this.rpc = new SimRpcConnection(ws, rpcOptions);
    this.rpc.on('call', (action: string, payload: unknown) => this.emit('call', action, payload));
    ws.on('close', (code, reason) => this.onClose(gen, code, reason.toString()));
    this.attempt = 0;
    this.opts.log(`connected (${this.opts.subprotocol})`);
    this.emit('open', info);
  }

  private onClose(gen: number, code: number, reason: string): void {
    if (gen !== this.generation) return;
    this.ws = undefined;
    this.rpc = undefined;
    this.opts.log(`closed (${code}${reason ? ` ${reason}` : ''})`);
    this.emit('close', code, reason);
    if (this.stopped) return;
    const restart = this.restartReason;
    this.restartReason = undefined;
    if (restart !== undefined) this.schedule(this.opts.resetDelayMs, restart);
    else if (this.opts.reconnect) this.schedule(this.nextBackoff(), undefined);
    else this.stopped = true;
  }

  private nextBackoff(): number {
    const policy = this.opts.reconnect || { minMs: 1000, maxMs: 60_000 };
    return backoffDelay(this.attempt++, policy.minMs, policy.maxMs);
  }

  private schedule(delayMs: number, bootReason: string | undefined): void {
    this.opts.log(`reconnecting in ${delayMs} ms`);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reconnect(bootReason);
    }, delayMs);
  }

  private async reconnect(bootReason: string | undefined): Promise<void> {
    if (this.stopped) return;
    try {
      await this.connect(bootReason === undefined ? { reconnect: true } : { reconnect: true, bootReason });
    } catch (err) {
      if (this.stopped) return;
      this.opts.log(`reconnect failed: ${(err as Error).message}`);
      if (this.opts.reconnect) this.schedule(this.nextBackoff(), bootReason);
      else this.stopped = true;
    }
  }
}
