/**
 * Optional instrumentation loaded into the server child (`--expose-gc
 * --import bench/server-gc-probe.ts`) by idle-connections.ts: on SIGUSR2 it
 * runs a full GC and prints one `BENCH-MEM {...}` line with memoryUsage().
 * It adds no work to the server otherwise.
 */
const collect = (globalThis as { gc?: () => void }).gc;

process.on('SIGUSR2', () => {
  collect?.();
  const m = process.memoryUsage();
  process.stdout.write(`BENCH-MEM ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
});
