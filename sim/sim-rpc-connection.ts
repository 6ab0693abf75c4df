/**
 * OCPP-J RPC framing on one open WebSocket (OCPP-J 1.6 §4, OCPP 2.0.1 Part 4 §4):
 *   CALL       [2, messageId, action, payload]
 *   CALLRESULT [3, messageId, payload]
 *   CALLERROR  [4, messageId, errorCode, errorDescription, errorDetails]
 *
 * One instance lives exactly as long as its socket; the station creates a new one per connection.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { SimError, type SimPayload } from './sim-types.ts';

const CALL = 2;
const CALLRESULT = 3;
const CALLERROR = 4;

export interface SimInboundContext {
  action: string;
  messageId: string;
  /** Run `fn` once the response has been written to the socket (e.g. TriggerMessage, F06.FR.04). */
  afterReply(fn: () => void): void;
}

/** Handler of a CSMS-initiated CALL: return the response payload, or throw an Error with `.code` for a CALLERROR. */
export type SimCallHandler = (payload: SimPayload, ctx: SimInboundContext) => unknown;

export interface SimRpcConnectionOptions {
  /** Default per-call timeout, 30000 ms. */
  callTimeoutMs?: number;
  /** Shared handler table; the station owns it so handlers survive reconnects. */
  handlers?: Map<string, SimCallHandler>;
  /** Which error-code vocabulary to use for framework errors: 1.6 says FormationViolation, 2.x FormatViolation. */
  dialect?: '1.6' | '2.x';
  /** Return false to leave an inbound CALL unanswered (1.6 §4.2: a Rejected station does not respond). */
  shouldAnswer?: (action: string) => boolean;
  log?: (line: string) => void;
}

interface PendingCall {
  id: string;
  action: string;
  payload: unknown;
  timeoutMs: number;
  resolve: (value: SimPayload) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

/**
 * Events: 'call' (action, payload, messageId) for each inbound CALL; 'badMessage' (raw, reason).
 */
export class SimRpcConnection extends EventEmitter {
  readonly handlers: Map<string, SimCallHandler>;
  private readonly ws: WebSocket;
  private readonly callTimeoutMs: number;
  private readonly dialect: '1.6' | '2.x';
  private readonly shouldAnswer: (action: string) => boolean;
  private readonly log: (line: string) => void;
  private readonly queue: PendingCall[] = [];
  private inFlight: PendingCall | undefined;
  private closed = false;

  constructor(ws: WebSocket, options: SimRpcConnectionOptions = {}) {
    super();
    this.ws = ws;
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.handlers = options.handlers ?? new Map();
    this.dialect = options.dialect ?? '2.x';
    this.shouldAnswer = options.shouldAnswer ?? (() => true);
    this.log = options.log ?? (() => {});
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.once('close', () => this.onClose());
    // openSocket() pauses the socket so no early frame is lost; now someone listens.
    if (ws.isPaused) ws.resume();
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  /** Number of outgoing CALLs in flight or queued. */
  get pending(): number {
    return this.queue.length + (this.inFlight ? 1 : 0);
  }

  handle(action: string, handler: SimCallHandler): void {
    this.handlers.set(action, handler);
  }

  /**
   * Send a CALL. Only one CALL is outstanding at a time; later ones wait in a FIFO queue
   * (OCPP-J 1.6 §4.1.1 Synchronicity; 2.0.1 Part 4 §4.1.1). The timeout starts when the frame is sent.
   */
  call(action: string, payload: unknown, options: { timeoutMs?: number } = {}): Promise<SimPayload> {
    if (this.closed) {
      return Promise.reject(new SimError('ConnectionClosed', `Cannot send ${action}: connection closed`));
    }
    return new Promise<SimPayload>((resolve, reject) => {
      this.queue.push({
        id: '', action, payload, timeoutMs: options.timeoutMs ?? this.callTimeoutMs, resolve, reject,
      });
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    // Message ids must be unique per sender (OCPP-J 1.6 §4.1.3; max 36 chars in 2.0.1): a UUID is exactly 36.
    next.id = randomUUID();
    this.inFlight = next;
    next.timer = setTimeout(() => {
      this.settle(next, new SimError('Timeout', `${next.action} not answered within ${next.timeoutMs} ms`));
    }, next.timeoutMs);
    this.write([CALL, next.id, next.action, next.payload], (err) => {
      if (err) this.settle(next, new SimError('ConnectionClosed', `Could not send ${next.action}: ${err.message}`));
    });
  }

  private settle(call: PendingCall, outcome: Error | SimPayload): void {
    if (this.inFlight !== call) return;
    clearTimeout(call.timer);
    this.inFlight = undefined;
    if (outcome instanceof Error) call.reject(outcome);
    else call.resolve(outcome);
    this.pump();
  }

  private write(frame: unknown[], cb?: (err?: Error) => void): void {
    const text = JSON.stringify(frame);
    if (this.ws.readyState !== WebSocket.OPEN) {
      cb?.(new Error('socket not open'));
      return;
    }
    this.log(`-> ${text}`);
    this.ws.send(text, (err) => cb?.(err ?? undefined));
  }

  private onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    const text = isBinary ? '' : rawToString(data);
    this.log(`<- ${text}`);
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.bad(text, 'not JSON');
      return;
    }
    if (!Array.isArray(msg) || typeof msg[1] !== 'string') {
      this.bad(text, 'not an OCPP-J array with a string message id');
      return;
    }
    const [type, id] = msg as [unknown, string];
    if (type === CALL) this.onCall(id, msg[2], msg[3], text);
    else if (type === CALLRESULT) this.onResult(id, msg[2], text);
    else if (type === CALLERROR) this.onError(id, msg[2], msg[3], msg[4], text);
    else if (this.dialect === '2.x') {
      // 2.0.1 Part 4 §4.3: unknown MessageTypeId -> CALLERROR MessageTypeNotSupported.
      this.write([CALLERROR, id, 'MessageTypeNotSupported', `Unknown message type ${String(type)}`, {}]);
    } else {
      this.bad(text, `unknown message type ${String(type)}`);
    }
  }

  private onResult(id: string, payload: unknown, raw: string): void {
    const call = this.inFlight;
    if (!call || call.id !== id) {
      this.bad(raw, 'CALLRESULT for an unknown or timed-out message id');
      return;
    }
    this.settle(call, isObject(payload) ? payload : {});
  }

  private onError(id: string, code: unknown, description: unknown, details: unknown, raw: string): void {
    const call = this.inFlight;
    if (!call || call.id !== id) {
      this.bad(raw, 'CALLERROR for an unknown or timed-out message id');
      return;
    }
    const codeText = typeof code === 'string' ? code : 'GenericError';
    const text = typeof description === 'string' && description ? description : codeText;
    this.settle(call, new SimError(codeText, `${call.action} failed: ${codeText}: ${text}`, { details }));
  }

  private onCall(id: string, action: unknown, payload: unknown, raw: string): void {
    if (typeof action !== 'string' || !isObject(payload)) {
      // OCPP-J 1.6 §4.2.3 FormationViolation / 2.0.1 Part 4 §4.3 FormatViolation.
      const code = this.dialect === '1.6' ? 'FormationViolation' : 'FormatViolation';
      this.write([CALLERROR, id, code, 'CALL must be [2, id, action, {payload}]', {}]);
      this.bad(raw, 'malformed CALL');
      return;
    }
    if (!this.shouldAnswer(action)) {
      this.log(`not answering ${action} (station Rejected)`);
      return;
    }
    this.emit('call', action, payload, id);
    const handler = this.handlers.get(action);
    if (!handler) {
      this.write([CALLERROR, id, 'NotImplemented', `No handler for ${action}`, {}]);
      return;
    }
    const after: Array<() => void> = [];
    const ctx: SimInboundContext = { action, messageId: id, afterReply: (fn) => after.push(fn) };
    const runAfter = (): void => {
      for (const fn of after) {
        try { fn(); } catch (err) { this.log(`afterReply for ${action} threw: ${String(err)}`); }
      }
    };
    Promise.resolve()
      .then(() => handler(payload, ctx))
      .then(
        (result) => this.write([CALLRESULT, id, isObject(result) ? result : {}], (err) => { if (!err) runAfter(); }),
        (err: unknown) => {
          const e = err as { code?: unknown; message?: unknown; details?: unknown };
          const code = typeof e?.code === 'string' ? e.code : 'InternalError';
          const message = typeof e?.message === 'string' ? e.message.slice(0, 255) : '';
          this.write([CALLERROR, id, code, message, isObject(e?.details) ? e.details : {}]);
        },
      );
  }

  private bad(raw: string, reason: string): void {
    this.log(`bad frame (${reason}): ${raw.slice(0, 200)}`);
    this.emit('badMessage', raw, reason);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const waiting = this.inFlight ? [this.inFlight, ...this.queue] : [...this.queue];
    this.inFlight = undefined;
    this.queue.length = 0;
    for (const call of waiting) {
      clearTimeout(call.timer);
      call.reject(new SimError('ConnectionClosed', `${call.action} aborted: connection closed`));
    }
  }
}

function isObject(value: unknown): value is SimPayload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rawToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
