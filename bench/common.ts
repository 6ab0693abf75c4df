/**
 * Shared benchmark plumbing: the machine (and code) description printed with
 * every result, CPU readings from /proc, and small helpers. Every child
 * process and temp dir registered here is removed on exit, also on Ctrl+C.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
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

/** True once a process has exited (gone, or a zombie that can no longer touch its files). */
function processGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/** Synchronous, so it also works in 'exit': SIGKILL every child, wait (<= 3 s) until they are gone, delete temp dirs. */
function killAllNow(): void {
  const pids: number[] = [];
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    child.kill('SIGKILL');
    pids.push(child.pid);
  }
  // A dying server may still write to its data dir, so remove the dirs only once it is gone.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 3000;
  while (pids.some((pid) => !processGone(pid)) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 10);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', killAllNow);
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    // Keep the event loop free while the children die (tsx's CLI expects an IPC answer within 30 ms).
    for (const child of children) child.kill('SIGKILL');
    const until = Date.now() + 3000;
    const check = () => {
      if ([...children].some((c) => c.pid && !processGone(c.pid)) && Date.now() < until) return void setTimeout(check, 20);
      killAllNow();
      process.exit(130);
    };
    check();
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
  /** sha256 of every file under src/ (path + content), to tell which code was measured. */
  srcDigest: string;
}

export function srcDigest(): string {
  const hash = createHash('sha256');
  const files = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(ROOT, 'src', file))).update('\0');
  return hash.digest('hex').slice(0, 12);
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
    srcDigest: srcDigest(),
  };
}

export async function printMachine(title: string): Promise<Machine & { busyBeforePercent: number }> {
  const m = machineInfo();
  console.log(`\n=== ${title} ===`);
  console.log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB RAM, node ${m.node}, open files ${m.openFileLimit}, ${m.date}`);
  console.log(`code: src/ digest ${m.srcDigest}`);
  let busyBeforePercent = await machineBusyPercent();
  // --wait-quiet S: wait up to S seconds for other processes to leave the CPU alone (below 10%).
  const waitUntil = Date.now() + argNumber('wait-quiet', 0) * 1000;
  while (busyBeforePercent > 10 && Date.now() < waitUntil) busyBeforePercent = await machineBusyPercent(2000);
  console.log(`machine busy before start: ${busyBeforePercent}% of all cores${busyBeforePercent > 10 ? ' -- WARNING: other processes are using the CPU, figures will be low' : ''}`);
  return { ...m, busyBeforePercent };
}

/** The last line of every benchmark: machine-readable, picked up by run-all.ts. */
export function printSummary(summary: Record<string, unknown>): void {
  const before = (summary.machine as Machine | undefined)?.srcDigest;
  const after = srcDigest();
  if (before && before !== after) console.log(`WARNING: src/ changed during the run (digest ${before} -> ${after}); the figures mix two versions`);
  console.log(`BENCH-SUMMARY ${JSON.stringify({ ...summary, srcDigestAtEnd: after })}`);
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The value after `--name` on the command line, if given. */
function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function argNumber(name: string, fallback: number): number {
  const raw = argValue(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

export function argString(name: string, fallback: string): string {
  return argValue(name) ?? fallback;
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

/** CPU seconds (user + system, all threads) used by a process so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in ticks; CLK_TCK = 100 on Linux
}

/** Machine-wide CPU seconds (busy, total) summed over all cores, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3]! + fields[4]!; // idle + iowait
  return { busy: (total - idle) / 100, total: total / 100 };
}

/** Share of all cores busy over the next `ms` (other users of the machine distort every figure). */
export async function machineBusyPercent(ms = 1000): Promise<number> {
  const a = machineCpuSeconds();
  await sleep(ms);
  const b = machineCpuSeconds();
  return Math.round(((b.busy - a.busy) / (b.total - a.total)) * 100);
}

/** A fresh PostgreSQL database next to `url` (the CHARGEBRIDGE_TEST_DATABASE_URL server), dropped by `drop()`. */
export async function throwAwayPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const name = `cb_bench_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}
