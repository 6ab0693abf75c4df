/** One open-loop phase of the load clients with the server's CPU read over exactly the measured window. */
import type { LoadClients } from './clients.ts';
import type { LoadProfile } from './load-scripts.ts';
import type { ServerUnderTest } from './server.ts';
import { machineCpuSeconds, sleep } from './common.ts';

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
