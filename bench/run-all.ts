/**
 * Runs the three benchmarks one after another, each in its own process
 * (`npm run bench`), streams their output, and prints a summary of the
 * BENCH-SUMMARY line each one ends with.
 *
 *   npx tsx bench/run-all.ts [--quick] [--wait-quiet 120]
 * --quick runs reduced scales (a smoke test of the harness, not results).
 * --wait-quiet S lets each benchmark wait up to S s for an idle machine.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '..');
let interrupted = false;

const quick = process.argv.includes('--quick');
const waitQuiet = process.argv.includes('--wait-quiet') ? ['--wait-quiet', process.argv[process.argv.indexOf('--wait-quiet') + 1] ?? '60'] : [];

const runs: Array<[string, string[]]> = [
  ['idle-connections', quick ? ['--steps', '500,2000', '--settle', '3'] : []],
  ['heartbeat-throughput', quick ? ['--stations', '500', '--seconds', '4', '--warmup', '1'] : []],
  ['boot-storm', quick ? ['1000'] : []],
];

type Summary = Record<string, any>;

function runOne(name: string, args: string[]): Promise<Summary | null> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, ...args, ...waitQuiet], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let summary: Summary | null = null;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('BENCH-SUMMARY ')) summary = JSON.parse(line.slice(14)) as Summary;
      else console.log(line);
    });
    // The benchmark cleans up its own children on SIGINT/SIGTERM; pass them on and stop after it exits.
    const forward = (signal: NodeJS.Signals) => {
      interrupted = true;
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (code !== 0) console.log(`!! ${name} exited with ${code}`);
      done(summary);
    });
  });
}

const lines: string[] = [];
for (const [name, args] of runs) {
  if (interrupted) break;
  const s = await runOne(name, args);
  if (!s) {
    lines.push(`${name}: no result`);
    continue;
  }
  if (name === 'idle-connections') {
    lines.push(
      `idle-connections: held ${s.held} idle stations; ${s.bytesPerConn} B/conn settled, ${s.bytesPerConnAfterGc} B/conn after GC ` +
        `(goal <= 16384 for 50,000); RSS at 50,000 extrapolated ${(s.extrapolatedRss50k / 2 ** 20).toFixed(0)} MiB; ${s.verdict}`,
    );
  } else if (name === 'heartbeat-throughput') {
    lines.push(
      `heartbeat-throughput: ${s.max.rate}/s max (goal >= 40,000), ${s.max.serverCpuMsPer1000} ms server CPU per 1000; ` +
        `at ${s.halfRate}/s p50 ${s.paced.p50Ms.toFixed(2)} ms, p99 ${s.paced.p99Ms.toFixed(2)} ms, max ${s.paced.maxMs.toFixed(1)} ms; ${s.verdict}`,
    );
  } else {
    for (const r of s.results as Summary[]) {
      lines.push(
        `boot-storm ${r.variant}: ${r.booted}/${s.stations} Accepted in ${r.allBootsSec.toFixed(1)} s (${r.bootsPerSec}/s; goal 10,000 in <= 30 s), ` +
          `p50 ${(r.p50Ms / 1000).toFixed(1)} s, p99 ${(r.p99Ms / 1000).toFixed(1)} s; ${r.verdict}`,
      );
    }
  }
}
console.log(`\n=== summary${quick ? ' (QUICK, reduced scale)' : ''} ===\n${lines.join('\n')}`);
