/**
 * The CSMS process on a fresh data directory: it boots on the embedded
 * database, prints where to point chargers, the API, the docs and the
 * generated admin token, serves, and stops cleanly on SIGTERM. It runs the
 * sources (src/main.ts, as `npm run dev` does), so it never tests a stale
 * build; .ci/run starts the built server (`npm start` = node dist/main.js)
 * after the install builds it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function startProcess(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, CHARGEBRIDGE_PORT: '0', CHARGEBRIDGE_HOST: '127.0.0.1', CHARGEBRIDGE_DATA_DIR: dataDir, CHARGEBRIDGE_ADMIN_TOKEN: '', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const banner = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', () => {
      if (/Admin token/.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(`${code ?? signal}`)));
  return { child, banner, exited, output: () => output };
}

test('a fresh start prints the endpoints and token, serves, and stops on SIGTERM', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cb-start-'));
  const first = startProcess(dataDir);
  const banner = await first.banner;
  const ocpp = /OCPP endpoint\s+ws:\/\/localhost:(\d+)\/ocpp\/\{stationId\}/.exec(banner);
  assert.ok(ocpp, banner);
  assert.match(banner, /REST API\s+http:\/\/localhost:\d+\/api\/v1/);
  assert.match(banner, /Console\s+http:\/\/localhost:\d+\//);
  assert.match(banner, /API docs\s+http:\/\/localhost:\d+\/api\/docs/);
  assert.match(banner, /embedded PGlite/);
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  assert.ok(banner.includes(token), 'a generated token is shown once, on first start');
  assert.equal(statSync(join(dataDir, 'admin-token')).mode & 0o077, 0, 'token file is private to its owner');
  const port = ocpp[1];
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  assert.equal(health.status, 200);
  const api = await fetch(`http://127.0.0.1:${port}/api/v1/stations`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(api.status, 200);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, '0', first.output());

  const second = startProcess(dataDir);
  const again = await second.banner;
  assert.ok(!again.includes(token), 'on later starts the token is not printed again');
  assert.match(again, /Admin token\s+stored in/);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, '0', second.output());
});

test('a bad setting stops the process with a message naming it', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, CHARGEBRIDGE_PORT: 'not-a-port' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /\/port/);
});
