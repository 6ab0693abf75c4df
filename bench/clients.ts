/**
 * Parent side of the load generators: forks N `bench/load-client.ts`
 * processes (each with its own event loop, fd budget and 127.0.0.x source
 * address), sends them commands and merges their replies.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Histogram } from './histogram.ts';
import { ROOT, track } from './common.ts';
import type { Command, ConnectCommand, ConnectReply, FailoverFigures, HeartbeatCommand, HeartbeatReply } from './protocol.ts';

export class LoadClients {
  private constructor(private readonly procs: ChildProcess[]) {}

  static start(count: number): LoadClients {
    const procs = Array.from({ length: count }, () =>
      track(fork(join(ROOT, 'bench/load-client.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })),
    );
    return new LoadClients(procs);
  }

  get pids(): number[] {
    return this.procs.map((p) => p.pid as number);
  }

  get size(): number {
    return this.procs.length;
  }

  /** Client i binds its sockets to 127.0.0.(2 + i). */
  sourceAddress(i: number): string {
    return `127.0.0.${2 + i}`;
  }

  private ask<T>(i: number, command: Command): Promise<T> {
    const proc = this.procs[i]!;
    return new Promise((done, fail) => {
      if (!proc.connected) return fail(new Error(`load client ${i} is gone`));
      const onExit = (code: number | null) => fail(new Error(`load client ${i} exited (${code}) before answering ${command.cmd}`));
      proc.once('exit', onExit);
      proc.once('message', (value: unknown) => {
        proc.off('exit', onExit);
        const error = (value as { error?: string }).error;
        if (error) fail(new Error(`load client ${i}: ${error}`));
        else done(value as T);
      });
      proc.send(command, (error) => error && fail(error));
    });
  }

  /**
   * Connects `total` stations split evenly over the clients, all starting at
   * the same instant. Ids are `${prefix}${from}`...; returns merged figures.
   */
  async connect(options: Omit<ConnectCommand, 'cmd' | 'from' | 'count' | 'localAddress' | 'startAt'> & { from: number; total: number; startDelayMs?: number }) {
    const startAt = Date.now() + (options.startDelayMs ?? 300);
    const share = Math.ceil(options.total / this.size);
    const replies = await Promise.all(
      this.procs.map((_, i) => {
        const from = options.from + i * share;
        const count = Math.max(0, Math.min(share, options.from + options.total - from));
        const { total: _t, startDelayMs: _s, ...rest } = options;
        return this.ask<ConnectReply>(i, { ...rest, cmd: 'connect', from, count, localAddress: this.sourceAddress(i), startAt });
      }),
    );
    const latency = new Histogram();
    for (const r of replies) latency.merge(r.bootLatency);
    return {
      startAt,
      booted: replies.reduce((n, r) => n + r.booted, 0),
      failed: replies.reduce((n, r) => n + r.failed, 0),
      retries: replies.reduce((n, r) => n + r.retries, 0),
      statusErrors: replies.reduce((n, r) => n + r.statusErrors, 0),
      dropped: replies.reduce((n, r) => n + r.dropped, 0),
      csmsCalls: replies.reduce((n, r) => n + r.csmsCalls, 0),
      errors: [...new Set(replies.flatMap((r) => r.errors))].slice(0, 5),
      lastBootAt: Math.max(...replies.map((r) => r.lastBootAt)),
      lastStatusAt: Math.max(...replies.map((r) => r.lastStatusAt)),
      latency,
    };
  }

  /** Runs a heartbeat phase on every client at once; `ratePerSec` (paced) is the total over all clients. */
  async heartbeats(command: Omit<HeartbeatCommand, 'startAt'> & { startAt?: number }) {
    const startAt = command.startAt ?? Date.now() + 300;
    const share = command.ratePerSec === undefined ? undefined : command.ratePerSec / this.size;
    const replies = await Promise.all(this.procs.map((_, i) => this.ask<HeartbeatReply>(i, { ...command, ratePerSec: share, startAt })));
    const latency = new Histogram();
    const fromSchedule = new Histogram();
    const byKind = new Map<string, Histogram>();
    for (const r of replies) {
      latency.merge(r.latency);
      fromSchedule.merge(r.fromSchedule);
      for (const [kind, h] of Object.entries(r.byKind ?? {})) {
        if (!byKind.has(kind)) byKind.set(kind, new Histogram());
        byKind.get(kind)!.merge(h);
      }
    }
    const answeredPerSecond: number[] = [];
    for (const r of replies) r.answeredPerSecond.forEach((v, i) => (answeredPerSecond[i] = (answeredPerSecond[i] ?? 0) + v));
    const worstPer100ms: number[] = [];
    for (const r of replies) r.worstPer100ms.forEach((v, i) => (worstPer100ms[i] = Math.max(worstPer100ms[i] ?? 0, v ?? 0)));
    return {
      startAt,
      worstPer100ms,
      answeredPerSecond,
      failover: mergeFailover(replies.flatMap((r) => (r.failover ? [r.failover] : []))),
      completed: replies.reduce((n, r) => n + r.completed, 0),
      errors: replies.reduce((n, r) => n + r.errors, 0),
      late: replies.reduce((n, r) => n + r.late, 0),
      stations: replies.reduce((n, r) => n + r.stations, 0),
      dropped: replies.reduce((n, r) => n + r.dropped, 0),
      csmsCalls: replies.reduce((n, r) => n + r.csmsCalls, 0),
      notAccepted: replies.reduce((n, r) => n + r.notAccepted, 0),
      unsent: replies.reduce((n, r) => n + r.unsent, 0),
      latency,
      fromSchedule,
      byKind,
    };
  }

  /** Drops every socket and waits for the client processes to exit. */
  async close(): Promise<void> {
    await Promise.all(
      this.procs.map(async (proc, i) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        const exited = new Promise<void>((r) => proc.once('exit', () => r()));
        await this.ask(i, { cmd: 'close' }).catch(() => undefined);
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

function mergeFailover(parts: FailoverFigures[]) {
  if (parts.length === 0) return null;
  const latency = new Histogram();
  const openLatency = new Histogram();
  const closeCodes: Record<string, number> = {};
  for (const part of parts) {
    latency.merge(part.latency);
    openLatency.merge(part.openLatency);
    for (const [code, n] of Object.entries(part.closeCodes)) closeCodes[code] = (closeCodes[code] ?? 0) + n;
  }
  const sum = (key: 'reconnects' | 'resent' | 'failedAttempts') => parts.reduce((n, p) => n + p[key], 0);
  return { reconnects: sum('reconnects'), resent: sum('resent'), failedAttempts: sum('failedAttempts'), latency, openLatency, closeCodes };
}
