/**
 * Shared setup of the stuck-transaction scenarios: a server with thresholds
 * compressed to seconds (the rules are the same; only the clock is short)
 * and helpers that read cases and transactions over REST.
 */
import { SimStation } from '../../sim/index.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import type { TimeSource } from '../../src/kernel/time.ts';

export const ALL_STEPS = ['ask', 'stop', 'unlock', 'reset-soft', 'reset-hard', 'close'] as const;

/** Seconds instead of minutes and hours: sampling 1 s, silence after 3 s, offline threshold 2 s, 1.5 s per step. */
export const COMPRESSED = {
  sweepIntervalSec: 0.2,
  defaults: {
    samplingIntervalSec: 1,
    silenceFactor: 3,
    connectorFreeGraceSec: 0.3,
    rebootGraceSec: 1,
    offlineThresholdSec: 2,
    maxDurationSec: 0,
    maxPowerW: 0,
    stepTimeoutSec: 1.5,
    resetWithOtherTransactions: false,
    automaticSteps: [...ALL_STEPS],
  },
  sites: {
    'SITE-SHORT': { maxDurationSec: 3 },
    'SITE-MANUAL': { automaticSteps: ['ask', 'stop', 'unlock'] as Array<(typeof ALL_STEPS)[number]> },
    'SITE-22KW': { maxPowerW: 22_000 },
  },
};

/** A server with compressed thresholds and these tokens accepted; with `time`, its clock and sweep timer are that fake. */
export async function startStuckServer(tokens: string[], time?: TimeSource): Promise<TestServer> {
  const server = await startTestServer({ stuck: COMPRESSED, ocpp: { callTimeoutSec: 5 } } as never, { time });
  for (const idToken of tokens) await server.api('POST', '/api/v1/tokens', { idToken });
  return server;
}

let counter = 0;

export async function simStation(server: TestServer, version: '1.6' | '2.0.1', options: { siteId?: string; evses?: number; tag?: string } = {}): Promise<SimStation> {
  const id = `STUCK-${options.tag ?? 'X'}-${version.replace(/\./g, '')}-${++counter}`;
  if (options.siteId) await server.api('POST', '/api/v1/stations', { id, siteId: options.siteId });
  const station = new SimStation({ url: server.ocppUrl, id, version, evses: options.evses ?? 1, heartbeats: false, reconnect: { minMs: 20, maxMs: 100 }, resetDelayMs: 50 });
  await station.start();
  return station;
}

export async function transactions(server: TestServer, stationId: string): Promise<any[]> {
  return (await server.api('GET', `/api/v1/transactions?stationId=${stationId}`)).body.items;
}

export async function cases(server: TestServer, stationId: string): Promise<any[]> {
  return (await server.api('GET', `/api/v1/stuck-transactions?stationId=${stationId}`)).body.items;
}

/** The station's one case once it reached a final status. */
export function finishedCase(server: TestServer, stationId: string, timeoutMs = 15_000): Promise<any> {
  return eventually(async () => {
    const [c] = await cases(server, stationId);
    return c && c.finishedAt ? c : null;
  }, `a finished stuck case on ${stationId}`, timeoutMs);
}

/** "step:outcome" for each step of a case. */
export const trail = (c: any) => c.steps.map((s: any) => `${s.step}:${s.outcome}`);

export async function commandsOf(server: TestServer, stationId: string): Promise<any[]> {
  return (await server.api('GET', `/api/v1/stations/${stationId}/commands?limit=100`)).body.items;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
