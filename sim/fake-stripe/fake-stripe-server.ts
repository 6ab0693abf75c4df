/**
 * The HTTP server: one pipeline per API request, in Stripe's order of concerns.
 *
 *   fault 'timeout'  -> the request is held and never answered (until the client gives up or close())
 *   fault 'error500' -> 500 api_error, nothing applied, the idempotency key left unused
 *   API key          -> 401
 *   route            -> 404 Unrecognized request URL
 *   Idempotency-Key  -> replay / 400 idempotency_error / 409 key in use
 *   latency          -> the answer (and the work) waits latencyMs; the key counts as in use meanwhile
 *   execute          -> the answer is saved under the key unless the request failed validation
 *   fault 'applyThenDrop' -> the connection is destroyed instead of answering
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleControl } from './fake-stripe-control.ts';
import { FakeStripeError, apiError, errorResponse, invalidParam, notFoundRoute } from './fake-stripe-errors.ts';
import type { FakeStripeFaults } from './fake-stripe-faults.ts';
import { canonicalParams, parseForm } from './fake-stripe-form.ts';
import { BodyTooLargeError, readBody, sendText, setCors, toJson } from './fake-stripe-http.ts';
import type { FakeStripeIdempotency } from './fake-stripe-idempotency.ts';
import { newId } from './fake-stripe-ids.ts';
import { checkKey, matchRoute, type FakeStripeKeys, type FakeStripeStores } from './fake-stripe-router.ts';
import type { FakeStripeParams, FakeStripeRequestContext, FakeStripeRequestRecord } from './fake-stripe-types.ts';

export interface FakeStripeServerParts {
  keys: FakeStripeKeys;
  stores: FakeStripeStores;
  faults: FakeStripeFaults;
  idempotency: FakeStripeIdempotency;
  clock: () => number;
  log: (line: string) => void;
  /** The control surface acts on the same handle tests use. */
  control: () => Parameters<typeof handleControl>[0];
}

export class FakeStripeHttpServer {
  readonly server: Server;
  requestLog: FakeStripeRequestRecord[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<Socket>();
  private readonly waits = new Set<{ timer: NodeJS.Timeout; resolve: (ok: boolean) => void }>();
  private closed = false;

  constructor(private readonly parts: FakeStripeServerParts) {
    this.server = createServer((req, res) => {
      res.on('error', () => {});
      this.onRequest(req, res).catch((err) => {
        parts.log(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
        sendText(res, 500, toJson(errorResponse(apiError())));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.held.delete(socket);
      });
    });
  }

  /** Releases requests held by a 'timeout' fault (their clients see the connection drop). */
  dropHeld(): void {
    for (const s of this.held) s.destroy();
    this.held.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
    this.waits.clear();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closing;
  }

  /** Resolves true after `ms`, or false at once when the server closes meanwhile. */
  private wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.waits.delete(entry);
          resolve(true);
        }, ms),
        resolve,
      };
      this.waits.add(entry);
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake-stripe.invalid');
    const path = url.pathname;
    setCors(res);
    if (method === 'OPTIONS') {
      // CORS preflight: answered before any key check, as browsers send no Authorization on it.
      res.writeHead(204).end();
      return;
    }
    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      sendText(res, 413, toJson(errorResponse(invalidParam('body', err.message))), { Connection: 'close' });
      return;
    }
    if (path.startsWith('/_fake/')) {
      const answer = handleControl(this.parts.control(), this.parts.faults, method, path, body);
      sendText(res, answer.status, toJson(answer.body));
      return;
    }
    await this.onApiRequest(req, res, method, path, method === 'GET' ? url.search.slice(1) : body);
  }

  private async onApiRequest(req: IncomingMessage, res: ServerResponse, method: string, path: string, form: string): Promise<void> {
    const { parts } = this;
    const idempotencyKey = method === 'POST' ? header(req, 'idempotency-key') : null;
    const ctx: FakeStripeRequestContext = { requestId: newId('req'), idempotencyKey, apiVersion: header(req, 'stripe-version') };
    let params: FakeStripeParams = {};
    let early: FakeStripeError | null = null;
    try {
      params = parseForm(form);
    } catch {
      early = invalidParam('body', 'Invalid request body.');
    }
    const record: FakeStripeRequestRecord = { method, path, idempotencyKey, params: redactCard(params), time: parts.clock() };
    this.requestLog.push(record);
    const fault = parts.faults.take(path);
    if (fault) record.fault = fault;
    if (fault === 'timeout') {
      parts.log(`${method} ${path} -> held (fault: timeout)`);
      this.held.add(req.socket);
      return;
    }

    let route: ReturnType<typeof matchRoute> = null;
    let replay: { status: number; body: string } | null = null;
    let keyBegun = false;
    try {
      if (early) throw early;
      if (fault === 'error500') throw apiError('The fake was told to fail this request (fault: error500).');
      route = matchRoute(method, path);
      checkKey(parts.keys, header(req, 'authorization') ?? undefined, route ? route.route.publishable : null);
      if (!route) throw notFoundRoute(method, path);
      if (method === 'POST' && (req.headers['content-type'] ?? '').includes('json')) {
        throw invalidParam('body', "Stripe's v1 API takes application/x-www-form-urlencoded bodies, not JSON.");
      }
      if (idempotencyKey !== null) {
        const decision = parts.idempotency.begin(idempotencyKey, `${method} ${path} ${canonicalParams(params)}`);
        if (decision.kind === 'replay') replay = decision;
        else keyBegun = true;
      }
    } catch (err) {
      if (!(err instanceof FakeStripeError)) throw err;
      early = err;
    }

    const live = await this.wait(parts.faults.latencyMs);
    if (!live) {
      req.socket.destroy();
      return;
    }
    if (early) {
      this.answer(req, res, record, ctx, early.status, toJson(errorResponse(early)), fault, false);
      return;
    }
    if (replay) {
      this.answer(req, res, record, ctx, replay.status, replay.body, fault, true);
      return;
    }

    let status = 200;
    let text: string;
    let keep = true;
    try {
      text = toJson(route!.route.run(parts.stores, route!.id, params, ctx));
    } catch (err) {
      const e = err instanceof FakeStripeError ? err : apiError();
      if (!(err instanceof FakeStripeError)) parts.log(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
      status = e.status;
      text = toJson(errorResponse(e));
      keep = e.stored;
    }
    if (keyBegun && idempotencyKey !== null) {
      if (keep) parts.idempotency.save(idempotencyKey, status, text);
      else parts.idempotency.forget(idempotencyKey);
    }
    this.answer(req, res, record, ctx, status, text, fault, false);
    if (keyBegun && idempotencyKey !== null) parts.idempotency.settle(idempotencyKey);
  }

  private answer(
    req: IncomingMessage, res: ServerResponse, record: FakeStripeRequestRecord, ctx: FakeStripeRequestContext,
    status: number, body: string, fault: string | null, replayed: boolean,
  ): void {
    const line = `${record.method} ${record.path} -> ${status}${replayed ? ' (replayed)' : ''}${ctx.idempotencyKey ? ` key=${ctx.idempotencyKey}` : ''}`;
    if (replayed) record.replayed = true;
    if (fault === 'applyThenDrop') {
      // The "crash between the gateway's commit and the client's record" case: the work is done and
      // saved under the key, but the client sees only a dropped connection.
      this.parts.log(`${line} dropped (fault: applyThenDrop)`);
      req.socket.destroy();
      return;
    }
    record.status = status;
    this.parts.log(line);
    const headers: Record<string, string> = { 'Request-Id': ctx.requestId ?? '', 'Stripe-Version': ctx.apiVersion ?? 'fake' };
    if (ctx.idempotencyKey) headers['Idempotency-Key'] = ctx.idempotencyKey;
    if (replayed) headers['Idempotent-Replayed'] = 'true';
    sendText(res, status, body, headers);
  }
}

/** The request log never keeps a full card number or a CVC (what a PCI-minded reader expects). */
function redactCard(params: FakeStripeParams): FakeStripeParams {
  const card = params['card'];
  if (card === undefined || typeof card === 'string' || Array.isArray(card)) return params;
  const masked = { ...card };
  const number = masked['number'];
  if (typeof number === 'string') masked['number'] = `${'*'.repeat(Math.max(0, number.length - 4))}${number.slice(-4)}`;
  if (masked['cvc'] !== undefined) masked['cvc'] = '***';
  return { ...params, card: masked };
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  if (Array.isArray(v)) return v[0] ?? null;
  return v ?? null;
}
