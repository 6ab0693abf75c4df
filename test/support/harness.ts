/**
 * Starts a real Chargebridge (HTTP + WebSocket on an ephemeral port) over a
 * template PGlite, with helpers for the REST API. Every scenario talks to it
 * over real sockets.
 */
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.ts';
import { startChargebridge, type Chargebridge } from '../../src/app.ts';
import { freshPglite } from './database-template.ts';
import type { TimeSource } from '../../src/kernel/time.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer {
  app: Chargebridge;
  ocppUrl: string;
  httpUrl: string;
  api<T = any>(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: T; headers: Headers }>;
  stop(): Promise<void>;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface TestServerOptions {
  /** When given, every JSON log line (level debug and up) is appended here. */
  logLines?: string[];
  /** Run on this PostgreSQL database instead of a template PGlite. */
  postgresUrl?: string;
  /** The server's clock and timers (a FakeTime lets a test move time instead of sleeping). */
  time?: TimeSource;
}

export async function startTestServer(overrides: DeepPartial<Config> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const config = loadConfig(
    { CHARGEBRIDGE_DATA_DIR: '.tmp/test-data' },
    {
      host: '127.0.0.1',
      port: 0,
      adminToken: ADMIN_TOKEN,
      logLevel: 'silent',
      ...overrides,
      // Tests hash passwords at a low scrypt cost (the production default takes ~0.3 s a hash), and
      // scenarios make more calls than a person would: rate limits are tested where a test asks for them.
      access: { passwordCost: 1024, rateLimitPerMinute: 0, ...overrides.access },
    } as Partial<Config>,
  );
  const lines = options.logLines;
  const log = lines
    ? pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) })
    : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const storage = options.postgresUrl
    ? ({ kind: 'postgres', url: options.postgresUrl, maxConnections: 4 } as const)
    : ({ kind: 'pglite', pglite: await freshPglite() } as const);
  const app = await startChargebridge(config, { storage, log, time: options.time });
  const httpUrl = `http://127.0.0.1:${app.port}`;
  return {
    app,
    httpUrl,
    ocppUrl: `ws://127.0.0.1:${app.port}/ocpp`,
    async api(method, path, body, token = ADMIN_TOKEN) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${httpUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
    },
    stop: () => app.stop(),
  };
}

/** Polls until `check` returns a truthy value or the deadline passes. */
export async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
