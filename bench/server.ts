/**
 * The server under test: a child `node --import tsx src/main.ts` (its own
 * event loop; RSS and CPU time read from /proc/<pid>), configured through the
 * CHARGEBRIDGE_* environment and a JSON config file in a fresh temp dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cpuSecondsOf, freePort, ROOT, sleep, tempDir, track } from './common.ts';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

export interface ServerOptions {
  /** Merged over the defaults via CHARGEBRIDGE_CONFIG. */
  config?: Record<string, unknown>;
  /** Adds --expose-gc and bench/server-gc-probe.ts so `gcAndMeasure()` works. */
  gcProbe?: boolean;
  /** Entry point; default src/main.ts (bench/bare-ws-server.ts for calibration). */
  script?: string;
  /** Extra environment (e.g. DATABASE_URL, NATS_URL, CHARGEBRIDGE_NODE_ID for a cluster node). */
  env?: Record<string, string>;
}

export class ServerUnderTest {
  child!: ChildProcess;
  warnings = 0;
  errors = 0;
  readonly samples: string[] = [];
  /** Time per part of the last clean stop (the server's "stopped" line; needs log level info). */
  stopTookMs: Record<string, number> | null = null;
  private memWaiter?: (value: Record<string, number>) => void;

  private constructor(readonly port: number, readonly dataDir: string, private readonly configFile: string, private readonly options: ServerOptions) {}

  static async start(options: ServerOptions = {}): Promise<ServerUnderTest> {
    const dataDir = tempDir('chargebridge-bench-');
    const configFile = join(dataDir, 'bench-config.json');
    writeFileSync(configFile, JSON.stringify(options.config ?? {}));
    const server = new ServerUnderTest(await freePort(), join(dataDir, 'data'), configFile, options);
    await server.launch();
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ocpp`;
  }

  get http(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Starts the child and resolves once the banner is printed and GET /ready answers 200. */
  private async launch(): Promise<void> {
    const extra = this.options.gcProbe ? ['--expose-gc', '--import', join(ROOT, 'bench/server-gc-probe.ts')] : [];
    // For profiling, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (written when the server exits).
    extra.push(...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean));
    this.child = track(
      spawn(process.execPath, ['--import', 'tsx', ...extra, this.options.script ?? 'src/main.ts'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          CHARGEBRIDGE_PORT: String(this.port),
          CHARGEBRIDGE_HOST: '127.0.0.1',
          CHARGEBRIDGE_DATA_DIR: this.dataDir,
          CHARGEBRIDGE_ADMIN_TOKEN: ADMIN_TOKEN,
          CHARGEBRIDGE_LOG_LEVEL: 'warn',
          CHARGEBRIDGE_AUTO_REGISTER: 'true',
          CHARGEBRIDGE_CONFIG: this.configFile,
          ...this.options.env,
        },
      }),
    );
    let banner = false;
    const onLine = (line: string) => {
      if (line.includes(' is running')) banner = true;
      if (line.startsWith('BENCH-MEM ')) return this.memWaiter?.(JSON.parse(line.slice(10)));
      if (line.includes('"msg":"stopped"')) this.stopTookMs = (JSON.parse(line) as { tookMs: Record<string, number> }).tookMs;
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === '40') this.warnings += 1;
      if (level === '50' || level === '60' || line.includes('failed to start')) this.errors += 1;
      if ((level && Number(level) >= 40) || line.includes('Error')) if (this.samples.length < 5) this.samples.push(line.slice(0, 300));
    };
    createInterface({ input: this.child.stdout! }).on('line', onLine);
    createInterface({ input: this.child.stderr! }).on('line', onLine);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`server exited with ${this.child.exitCode}: ${this.samples.join('\n')}`);
      if (banner && (await fetch(`${this.http}/ready`).then((r) => r.status, () => 0)) === 200) return;
      await sleep(100);
    }
    throw new Error('server did not become ready within 60 s');
  }

  /** Resident set size of the server process, from /proc/<pid>/status. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) * 1024;
  }

  /** CPU seconds (user + system, all threads) used by the server so far, from /proc/<pid>/stat. */
  cpuSeconds(): number {
    return cpuSecondsOf(this.pid);
  }

  /** Only with gcProbe: full GC inside the server, then its memoryUsage(). */
  gcAndMeasure(): Promise<Record<string, number>> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error('no BENCH-MEM answer')), 30_000);
      this.memWaiter = (value) => {
        clearTimeout(timer);
        done(value);
      };
      this.child.kill('SIGUSR2');
    });
  }

  /** SIGTERM (the server closes sockets and the database cleanly), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stop and start again on the same port and data directory (empties every in-memory cache). */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  describeLogs(): string {
    return `server log: ${this.warnings} warnings, ${this.errors} errors${this.samples.length ? `; first: ${this.samples[0]}` : ''}`;
  }
}

export async function adminPost(server: ServerUnderTest, path: string, body: unknown): Promise<number> {
  const response = await fetch(`${server.http}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}
