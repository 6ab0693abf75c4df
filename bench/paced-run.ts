/** One open-loop phase of the load clients with the server's CPU read over exactly the measured window. */
import type { LoadClients } from './clients.ts';
import type { LoadProfile } from './load-scripts.ts';
import { adminPost, ServerUnderTest } from './server.ts';
import { machineCpuSeconds, sleep, throwAwayPostgres } from './common.ts';

/** Server settings for a load test: flood limits raised (one station may send fast), WebSocket pings off. */
export const LOADED_SERVER_CONFIG = { ocpp: { floodMessagesPerSec: 10_000, floodBurst: 10_000, pingIntervalSec: 0 } };

/** Creates `count` id tokens named `${prefix}0...` over REST, 5,000 per request. */
export async function importTokens(server: ServerUnderTest, prefix: string, count: number): Promise<void> {
  for (let from = 0; from < count; from += 5000) {
    const chunk = Array.from({ length: Math.min(5000, count - from) }, (_, i) => ({ idToken: `${prefix}${from + i}` }));
    const status = await adminPost(server, '/tokens/import', chunk);
    if (status !== 200) throw new Error(`token import answered ${status}`);
  }
}

/**
 * A server for a paced load (LOADED_SERVER_CONFIG), on a throw-away PostgreSQL
 * database (next to CHARGEBRIDGE_TEST_DATABASE_URL) or embedded PGlite, holding
 * `tokens.count` id tokens named `${tokens.prefix}0...`.
 */
export async function startLoadedServer(options: { postgres: boolean; tokens: { prefix: string; count: number } }) {
  const database = options.postgres ? await throwAwayPostgres(process.env.CHARGEBRIDGE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres') : null;
  if (database) process.env.DATABASE_URL = database.url;
  const server = await ServerUnderTest.start({ config: LOADED_SERVER_CONFIG });
  await importTokens(server, options.tokens.prefix, options.tokens.count);
  return {
    server,
    database,
    async stop() {
      await server.stop();
      await database?.drop();
    },
  };
}

export async function pacedRun(server: ServerUnderTest, clients: LoadClients, options: { rate: number; seconds: number; warmup: number; profile: LoadProfile }) {
  const startAt = Date.now() + 500;
  const windowStart = startAt + options.warmup * 1000;
  const running = clients.heartbeats({ cmd: 'paced', startAt, warmupMs: options.warmup * 1000, durationMs: options.seconds * 1000, ratePerSec: options.rate, profile: options.profile });
  await sleep(windowStart - Date.now());
  const before = { server: server.cpuSeconds(), machine: machineCpuSeconds() };
  await sleep(options.seconds * 1000);
  const after = { server: server.cpuSeconds(), machine: machineCpuSeconds() };
  const result = await running;
  return {
    result,
    answeredPerSec: Math.round(result.completed / options.seconds),
    serverCpuPercent: Math.round(((after.server - before.server) * 100) / options.seconds),
    machineBusyPercent: Math.round(((after.machine.busy - before.machine.busy) * 100) / (after.machine.total - before.machine.total)),
  };
}
