/**
 * Chargebridge nodes as separate processes (src/main.ts under tsx), so a
 * test can SIGKILL one: each on its own port, all on one PostgreSQL database
 * and one NATS. Log lines (JSON, level info) are kept per node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN } from './harness.ts';

export interface NodeProcess {
  name: string;
  port: number;
  ocppUrl: string;
  logs: string[];
  /** Parsed JSON log lines whose msg matches. */
  logged(msg: string): Array<Record<string, unknown>>;
  /** With the admin token unless another bearer (or null: none) is given. */
  api<T = any>(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: T }>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface NodeProcessOptions {
  name: string;
  databaseUrl: string;
  natsUrl: string;
  /** Merged into the node's config file (short intervals for tests). */
  config?: Record<string, unknown>;
}

const ROOT = new URL('../../', import.meta.url).pathname;

export async function startNodeProcess(options: NodeProcessOptions): Promise<NodeProcess> {
  const dir = mkdtempSync(join(tmpdir(), `cb-${options.name}-`));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(options.config ?? {}));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      CHARGEBRIDGE_CONFIG: configFile,
      CHARGEBRIDGE_HOST: '127.0.0.1',
      CHARGEBRIDGE_PUBLIC_HOST: '127.0.0.1',
      CHARGEBRIDGE_PORT: '0',
      CHARGEBRIDGE_DATA_DIR: dir,
      CHARGEBRIDGE_ADMIN_TOKEN: ADMIN_TOKEN,
      CHARGEBRIDGE_LOG_LEVEL: 'info',
      CHARGEBRIDGE_NODE_ID: options.name,
      DATABASE_URL: options.databaseUrl,
      NATS_URL: options.natsUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        const match = /OCPP endpoint\s+ws:\/\/[^:]+:(\d+)\//.exec(line);
        if (match) resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    void exit.then(() => reject(new Error(`node ${options.name} exited while starting:\n${logs.join('\n')}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    name: options.name,
    port,
    ocppUrl: `ws://127.0.0.1:${port}/ocpp`,
    logs,
    logged(msg) {
      return logs.flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          return parsed.msg === msg ? [parsed] : [];
        } catch {
          return [];
        }
      });
    },
    async api(method, path, body, token = ADMIN_TOKEN) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async kill() {
      if (exited) return;
      child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
