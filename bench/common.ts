/**
 * Shared benchmark plumbing: the machine description printed with every
 * result, the server under test (a child `node --import tsx src/main.ts`
 * whose RSS and CPU time are read from /proc), and small helpers. Every child
 * process and temp dir created here is removed on exit, also on Ctrl+C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(import.meta.dirname, '..');
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// --- cleanup of everything we start --------------------------------------------------

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function killAllNow(): void {
  for (const child of children) if (child.exitCode === null && child.pid) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

// --- the machine ------------------------------------------------------------------------

export interface Machine {
  cpu: string;
  cores: number;
  memGiB: number;
  node: string;
  date: string;
  openFileLimit: string;
}

export function machineInfo(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const files = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  return {
    cpu: model.trim(),
    cores: cpus().length,
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    date: new Date().toISOString(),
    openFileLimit: files ? `${files[1]} soft / ${files[2]} hard` : 'unknown',
  };
}

export function printMachine(title: string): Machine {
  const m = machineInfo();
  console.log(`\n=== ${title} ===`);
  console.log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB RAM, node ${m.node}, open files ${m.openFileLimit}, ${m.date}`);
  return m;
}

/** The last line of every benchmark: machine-readable, picked up by run-all.ts. */
export function printSummary(summary: Record<string, unknown>): void {
  console.log(`BENCH-SUMMARY ${JSON.stringify(summary)}`);
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

// --- the server under test --------------------------------------------------------------

export interface ServerOptions {
  /** Merged over the defaults via CHARGEBRIDGE_CONFIG. */
  config?: Record<string, unknown>;
  /** Adds --expose-gc and bench/server-gc-probe.ts so `gcAndMeasure()` works. */
  gcProbe?: boolean;
}

export class ServerUnderTest {
  child!: ChildProcess;
  warnings = 0;
  errors = 0;
  readonly samples: string[] = [];
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
    this.child = track(
      spawn(process.execPath, ['--import', 'tsx', ...extra, 'src/main.ts'], {
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
        },
      }),
    );
    let banner = false;
    const onLine = (line: string) => {
      if (line.includes(' is running')) banner = true;
      if (line.startsWith('BENCH-MEM ')) return this.memWaiter?.(JSON.parse(line.slice(10)));
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
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime; CLK_TCK = 100 on Linux
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
