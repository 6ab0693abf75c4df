/**
 * One station's OCPP-J conversation over one WebSocket: framing, schema
 * validation both ways, dispatch of inbound CALLs to the router, and the
 * outgoing CALL queue (OCPP-J 1.6 §4.1.1 / 2.0.1 Part 4 §4.1.1: at most one
 * outstanding CALL per direction; the rest wait in order).
 */
import type { WebSocket, RawData } from 'ws';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { OcppVersion } from '../kernel/protocol-version.ts';
import type { Clock } from '../kernel/time.ts';
import { OcppCallError, OcppRemoteError, type OcppErrorCode } from './ocpp-error-codes.ts';
import { spellErrorCode, versionEntry } from './ocpp-versions.ts';
import { encodeCall, encodeError, encodeResult, encodeResultError, parseFrame, type Frame } from './ocpp-frame.ts';
import type { ConnectionLifecycle, MessageTap } from './ocpp-ports.ts';
import type { OcppRouter } from './ocpp-router.ts';
import { schemasFor, type OcppSchemaSet } from './ocpp-schemas.ts';

/** Settings and collaborators shared by every session of a server (kept out of each session to save memory). */
export interface SessionEnvironment {
  router: OcppRouter;
  log: Logger;
  callTimeoutMs: number;
  maxQueuedCalls: number;
  floodMessagesPerSec: number;
  floodBurst: number;
  lifecycle: Pick<ConnectionLifecycle, 'touch' | 'refuseCall'>;
  /** Optional observer of every frame in and out (the recent-message log). */
  tap?: MessageTap;
  /** The domain's clock: reception times and last-seen. The flood limit measures real time. */
  clock: Clock;
}

export interface CallOptions {
  timeoutMs?: number;
}

interface PendingCall {
  messageId: string;
  action: string;
  payload: unknown;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

export class OcppSession {
  readonly connectedAt: Date;
  private readonly schemas: OcppSchemaSet;
  private outstanding: PendingCall | null = null;
  private readonly queue: PendingCall[] = [];
  private floodTokens: number;
  private floodCheckedAt = Date.now();
  private closed = false;
  /** Inbound CALLs whose handler has not answered yet (a draining session closes when this is 0). */
  private inboundInFlight = 0;
  /** Set by closeWhenIdle: new CALLs are no longer taken; the socket closes after the last answer. */
  private drain: { code: number; reason: string; done: () => void } | null = null;
  /** Set by the keep-alive sweep; cleared by a pong. */
  awaitingPong = false;

  constructor(
    readonly stationId: string,
    readonly version: OcppVersion,
    /** The tenant the station belongs to (from its registration, read at admission). */
    readonly tenantId: string,
    private readonly socket: WebSocket,
    private readonly env: SessionEnvironment,
  ) {
    this.schemas = schemasFor(version);
    this.connectedAt = env.clock();
    this.floodTokens = env.floodBurst;
    socket.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    socket.on('pong', () => {
      this.awaitingPong = false;
      env.lifecycle.touch(stationId, env.clock());
    });
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  /** Sends a CALL; resolves with the validated response payload or rejects with OcppRemoteError. */
  call(action: string, payload: unknown, options: CallOptions = {}): Promise<unknown> {
    const check = this.schemas.validate(action, 'request', payload);
    if (!check.ok) {
      return Promise.reject(new OcppRemoteError('InvalidRequest', `refusing to send invalid ${action}: ${check.message}`));
    }
    if (!this.isOpen) return Promise.reject(new OcppRemoteError('StationOffline', `station ${this.stationId} is not connected`));
    if (this.queue.length >= this.env.maxQueuedCalls) {
      return Promise.reject(new OcppRemoteError('QueueFull', `${this.queue.length} calls already wait for ${this.stationId}`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ messageId: randomUUID(), action, payload, timeoutMs: options.timeoutMs ?? this.env.callTimeoutMs, resolve, reject });
      this.sendNext();
    });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.failAll('StationOffline', `connection closed: ${reason}`);
    this.socket.close(code, reason);
  }

  /**
   * Graceful close for a stopping node: CALLs already being handled are answered first
   * (their database work is committed, so the station need not resend them), then the
   * socket closes with `code`. CALLs that arrive meanwhile are not taken; the station
   * sends them again after it reconnects (to another node behind the load balancer).
   * Resolves once the close frame is sent, or after `maxWaitMs` when a handler hangs.
   */
  closeWhenIdle(code: number, reason: string, maxWaitMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(), maxWaitMs);
      const finish = () => {
        clearTimeout(timer);
        this.drain = null;
        this.close(code, reason);
        resolve();
      };
      this.drain = { code, reason, done: finish };
      if (this.inboundInFlight === 0) finish();
    });
  }

  /** Called when the socket is gone, whoever closed it. */
  dispose(reason: string): void {
    this.closed = true;
    this.failAll('StationOffline', `connection closed: ${reason}`);
    this.drain?.done();
  }

  terminate(): void {
    this.dispose('terminated');
    this.socket.terminate();
  }

  ping(): void {
    this.awaitingPong = true;
    this.socket.ping();
  }

  private failAll(code: string, message: string): void {
    const pending = this.outstanding ? [this.outstanding, ...this.queue] : [...this.queue];
    this.outstanding = null;
    this.queue.length = 0;
    for (const call of pending) {
      if (call.timer) clearTimeout(call.timer);
      call.reject(new OcppRemoteError(code, message));
    }
  }

  private sendNext(): void {
    if (this.outstanding || this.queue.length === 0 || !this.isOpen) return;
    const call = this.queue.shift() as PendingCall;
    this.outstanding = call;
    call.timer = setTimeout(() => this.onCallTimeout(call), call.timeoutMs);
    this.write(encodeCall(call.messageId, call.action, call.payload));
  }

  private onCallTimeout(call: PendingCall): void {
    if (this.outstanding !== call) return;
    this.outstanding = null;
    this.env.log.warn({ stationId: this.stationId, messageId: call.messageId, action: call.action }, 'outgoing call timed out');
    call.reject(new OcppRemoteError('Timeout', `${call.action} got no answer within ${call.timeoutMs} ms`));
    this.sendNext();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    // Closing: a CALL read now would be handled without its answer ever reaching the
    // station, which resends it after reconnecting; leave it to that.
    if (this.closed) return;
    const receivedAt = this.env.clock();
    this.env.lifecycle.touch(this.stationId, receivedAt);
    if (!this.takeFloodToken(Date.now())) return;
    if (isBinary) {
      // OCPP-J messages are UTF-8 JSON text (OCPP 2.0.1 Part 4 §4.1.2): no binary frames.
      this.sendError('-1', 'RpcFrameworkError', 'binary frames are not allowed; OCPP-J uses text frames');
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8');
    this.env.tap?.record(this.stationId, 'in', text, receivedAt);
    const frame = parseFrame(text, this.version);
    if (frame.type === 'invalid') {
      this.env.log.warn({ stationId: this.stationId, messageId: frame.messageId, reason: frame.reason }, 'invalid OCPP frame');
      if (frame.answerable) this.sendError(frame.messageId, frame.code, frame.reason);
      return;
    }
    // OCPP strings are text; U+0000 cannot be stored (PostgreSQL text) nor shown. The raw frame
    // carries it only as the JSON escape, so one substring test covers every field.
    if ((frame.type === 'call' || frame.type === 'send') && text.includes('\\u0000')) {
      this.env.log.warn({ stationId: this.stationId, messageId: frame.messageId }, 'payload contains U+0000');
      if (frame.type === 'call') this.sendError(frame.messageId, 'PropertyConstraintViolation', 'strings must not contain U+0000');
      return;
    }
    this.onFrame(frame, receivedAt);
  }

  private onFrame(frame: Frame, receivedAt: Date): void {
    switch (frame.type) {
      case 'call':
      case 'send':
        // Draining: the same holds for a CALL that arrives after the last answer went out.
        if (this.drain) return;
        void this.onInboundCall(frame.messageId, frame.action, frame.payload, receivedAt, frame.type === 'call');
        return;
      case 'result':
        this.onResponse(frame.messageId, (call) => {
          const check = this.schemas.validate(call.action, 'response', frame.payload);
          if (check.ok) return call.resolve(frame.payload);
          this.env.log.warn({ stationId: this.stationId, messageId: frame.messageId, action: call.action, problem: check.message }, 'invalid CALLRESULT');
          // OCPP 2.1 Part 4 §4.2.3: tell the station its CALLRESULT was rejected.
          if (versionEntry(this.version).framing.callResultError) this.write(encodeResultError(frame.messageId, check.code, check.message));
          call.reject(new OcppRemoteError(check.code, `invalid ${call.action} response: ${check.message}`));
        });
        return;
      case 'error':
        this.onResponse(frame.messageId, (call) =>
          call.reject(new OcppRemoteError(frame.code, frame.description || `${call.action} failed`, frame.details)),
        );
        return;
      case 'result-error':
        this.env.log.warn({ stationId: this.stationId, messageId: frame.messageId, code: frame.code }, 'station rejected our CALLRESULT');
        return;
    }
  }

  private onResponse(messageId: string, settle: (call: PendingCall) => void): void {
    const call = this.outstanding;
    if (!call || call.messageId !== messageId) {
      this.env.log.warn({ stationId: this.stationId, messageId }, 'response to no outstanding call ignored');
      return;
    }
    clearTimeout(call.timer);
    this.outstanding = null;
    settle(call);
    this.sendNext();
  }

  private async onInboundCall(messageId: string, action: string, payload: unknown, receivedAt: Date, expectsAnswer: boolean): Promise<void> {
    this.inboundInFlight += 1;
    try {
      // The child logger is made only when something is logged: most messages log nothing.
      let child: Logger | undefined;
      const rootLog = this.env.log;
      const { stationId, tenantId } = this;
      const logFor = (): Logger => (child ??= rootLog.child({ stationId, tenantId, messageId, action }));
      if (!this.schemas.knows(action)) {
        if (expectsAnswer) this.sendError(messageId, 'NotImplemented', `OCPP ${this.version} has no action ${action}`);
        return;
      }
      const check = this.schemas.validate(action, 'request', payload);
      if (!check.ok) {
        logFor().warn({ code: check.code, problem: check.message }, 'inbound payload rejected');
        if (expectsAnswer) this.sendError(messageId, check.code, check.message);
        return;
      }
      const refusal = this.env.lifecycle.refuseCall(this.stationId, { boot: action === versionEntry(this.version).bootAction });
      if (refusal) {
        logFor().warn({ refusal }, 'inbound call refused');
        if (expectsAnswer) this.sendError(messageId, 'SecurityError', refusal);
        return;
      }
      const handler = this.env.router.find(this.version, action);
      if (!handler) {
        if (expectsAnswer) this.sendError(messageId, 'NotSupported', `${action} is not supported by this CSMS`);
        return;
      }
      let response: unknown;
      try {
        const ctx = {
          stationId,
          tenantId,
          version: this.version,
          messageId,
          receivedAt,
          connectedAt: this.connectedAt,
          get log(): Logger {
            return logFor();
          },
        };
        response = await handler(ctx, payload);
      } catch (error) {
        if (error instanceof OcppCallError) {
          if (expectsAnswer) this.sendError(messageId, error.code, error.message, error.details);
          return;
        }
        logFor().error({ err: error }, 'handler failed');
        if (expectsAnswer) this.sendError(messageId, 'InternalError', 'the CSMS could not process this message');
        return;
      }
      if (!expectsAnswer) return;
      const out = this.schemas.validate(action, 'response', response);
      if (!out.ok) {
        logFor().error({ problem: out.message }, 'our own response failed schema validation');
        this.sendError(messageId, 'InternalError', 'the CSMS produced an invalid response');
        return;
      }
      if (this.isOpen) this.write(encodeResult(messageId, response));
    } finally {
      this.inboundInFlight -= 1;
      if (this.inboundInFlight === 0) this.drain?.done();
    }
  }

  private write(frame: string): void {
    this.env.tap?.record(this.stationId, 'out', frame, this.env.clock());
    this.socket.send(frame);
  }

  private sendError(messageId: string, code: OcppErrorCode, description: string, details: unknown = {}): void {
    if (this.isOpen) this.write(encodeError(messageId, spellErrorCode(code, this.version), description, details));
  }

  /** Token bucket: a station may burst, but a sustained flood is answered with errors, then disconnected. */
  private takeFloodToken(nowMs: number): boolean {
    const elapsed = (nowMs - this.floodCheckedAt) / 1000;
    this.floodCheckedAt = nowMs;
    this.floodTokens = Math.min(this.env.floodBurst, this.floodTokens + elapsed * this.env.floodMessagesPerSec);
    if (this.floodTokens >= 1) {
      this.floodTokens -= 1;
      return true;
    }
    this.floodTokens -= 1;
    if (this.floodTokens < -this.env.floodBurst) {
      this.env.log.warn({ stationId: this.stationId }, 'station flooded the CSMS; closing its connection');
      this.close(1008, 'message rate limit exceeded');
    } else {
      this.sendError('-1', 'GenericError', 'message rate limit exceeded; slow down');
    }
    return false;
  }
}
