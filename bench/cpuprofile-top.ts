/**
 * Prints where a V8 .cpuprofile spends its time: top functions by self time
 * and by inclusive time, plus the idle share. Used to explain missed goals:
 *
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/heartbeat-throughput.ts
 *   npx tsx bench/cpuprofile-top.ts /tmp/prof/CPU.*.cpuprofile [--top 25] [--match src/] [--from S] [--to S] [--timeline]
 * --from/--to keep samples between S seconds after the profile started (e.g.
 * only the measured phase); --timeline prints the busy share of every second.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const files = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const topArg = process.argv.indexOf('--top');
const top = topArg >= 0 ? Number(process.argv[topArg + 1]) : 25;
const matchArg = process.argv.indexOf('--match');
const match = matchArg >= 0 ? process.argv[matchArg + 1] : undefined;
const opt = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const fromSec = opt('--from', 0);
const toSec = opt('--to', Number.POSITIVE_INFINITY);
const timeline = process.argv.includes('--timeline');

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const url = n.callFrame.url.replace(/^file:\/\/.*?node_modules\//, '~/').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/');
    return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let at = 0;
  const perSecond: Array<{ all: number; idle: number }> = [];
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    const node = byId.get(id)!;
    const second = (perSecond[Math.floor(at / 1e6)] ??= { all: 0, idle: 0 });
    second.all += dt;
    if (node.callFrame.functionName === '(idle)') second.idle += dt;
    if (at < fromSec * 1e6 || at > toSec * 1e6) return;
    total += dt;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
    }
  });
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const print = (title: string, table: Map<string, number>) => {
    console.log(`\n${title}`);
    [...table.entries()]
      .filter(([l]) => !match || l.includes(match))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([l, us]) => console.log(`${pct(us)}  ${l}`));
  };
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled (of ${(at / 1e6).toFixed(1)} s)`);
  if (timeline) {
    console.log(perSecond.map((s, i) => `${i}s:${s ? Math.round(100 - (100 * s.idle) / s.all) : 0}%`).join(' '));
  }
  print('self time', self);
  print('inclusive time', inclusive);
}
