/** A private nats-server with JetStream for one benchmark (its own ports and store, so runs never share state). */
import { spawn } from 'node:child_process';
import { freePort, sleep, tempDir, track } from './common.ts';

/** Starts it and waits for /healthz; `monitor` is the HTTP monitoring base (connz, varz). */
export async function startNats(): Promise<{ url: string; monitor: string }> {
  const [port, monitorPort] = [await freePort(), await freePort()];
  const dir = tempDir('chargebridge-bench-nats-');
  track(spawn(process.env.NATS_SERVER_BIN ?? 'nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-sd', dir], { stdio: 'ignore' }));
  const monitor = `http://127.0.0.1:${monitorPort}`;
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${monitor}/healthz`).then((r) => r.status, () => 0)) === 200) return { url: `nats://127.0.0.1:${port}`, monitor };
    await sleep(100);
  }
  throw new Error('nats-server did not start (is it installed? NATS_SERVER_BIN=/usr/sbin/nats-server)');
}
