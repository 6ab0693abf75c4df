/**
 * Two Chargebridge nodes (child processes) on one PostgreSQL database and one
 * NATS server that this benchmark starts itself (with its monitoring port,
 * to count messages per connection).
 *
 * Part 1, command latency: `POST /stations/{id}/commands?wait=10` (ClearCache,
 * durable: row, sent, answered) on node A, alternating between stations held
 * by A and stations held by B; p50/p99 of each and the difference (goal:
 * the other node adds <= 2 ms at p99).
 * Part 1b, the hop alone: two NatsCluster instances in this process, a
 * station link that answers at once; call p50/p99 local vs forwarded.
 *
 * Part 2, traffic per node: stations on every node send StatusNotification
 * and Heartbeat at a fixed total rate; NATS messages in/out per node
 * connection (from the server's /connz) during the window, with 2 and then
 * 3 nodes for the same station traffic. Per-station work must not grow with
 * the node count.
 *
 *   CHARGEBRIDGE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx bench/cluster-command-latency.ts [--commands 1000] [--stations 40] [--rate 200] [--seconds 15]
 */
import { SimStation } from '../sim/index.ts';
import { argNumber, printMachine, printSummary, sleep } from './common.ts';
import { startNats } from './nats-server.ts';
import { LOADED_SERVER_CONFIG } from './paced-run.ts';
import { Histogram } from './histogram.ts';
import { ADMIN_TOKEN, ServerUnderTest } from './server.ts';
import { connectNats } from '../src/cluster/nats-connection.ts';
import { NatsCluster } from '../src/cluster/cluster-nats.ts';
// The same throw-away PostgreSQL database the tests use.
import { throwAwayDatabase } from '../test/support/storage-targets.ts';

const COMMANDS = argNumber('commands', 1000);
const STATIONS = argNumber('stations', 40);
const RATE = argNumber('rate', 200);
const SECONDS = argNumber('seconds', 15);
const HOP_CALLS = argNumber('hop-calls', 5000);
const baseDatabaseUrl = process.env.CHARGEBRIDGE_TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Connz {
  connections: Array<{ name?: string; in_msgs: number; out_msgs: number }>;
}


function node(name: string, databaseUrl: string, natsUrl: string): Promise<ServerUnderTest> {
  return ServerUnderTest.start({
    env: { DATABASE_URL: databaseUrl, NATS_URL: natsUrl, CHARGEBRIDGE_NODE_ID: name },
    config: LOADED_SERVER_CONFIG,
  });
}

const fmt = (us: number) => `${(us / 1000).toFixed(2)} ms`;

async function commandLatency(a: ServerUnderTest, b: ServerUnderTest): Promise<Record<string, number>> {
  const onA = Array.from({ length: 10 }, (_, i) => new SimStation({ url: a.url, id: `LAT-A-${i}`, version: '2.0.1', heartbeats: false }));
  const onB = Array.from({ length: 10 }, (_, i) => new SimStation({ url: b.url, id: `LAT-B-${i}`, version: '2.0.1', heartbeats: false }));
  await Promise.all([...onA, ...onB].map((s) => s.start()));
  const same = new Histogram();
  const other = new Histogram();
  const send = async (station: SimStation, into: Histogram, record: boolean) => {
    const started = process.hrtime.bigint();
    const response = await fetch(`${a.http}/api/v1/stations/${station.id}/commands?wait=10`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'clearCache' }),
    });
    const body = (await response.json()) as { state?: string };
    if (body.state !== 'accepted') throw new Error(`command not accepted: ${JSON.stringify(body)}`);
    if (record) into.record(Number(process.hrtime.bigint() - started) / 1000);
  };
  for (let i = 0; i < 100; i++) await send((i % 2 ? onA : onB)[i % 10] as SimStation, same, false); // warm-up
  for (let i = 0; i < COMMANDS; i++) {
    // Alternate, so both sides see the same machine noise.
    await send(onA[i % 10] as SimStation, same, true);
    await send(onB[i % 10] as SimStation, other, true);
  }
  await Promise.all([...onA, ...onB].map((s) => s.stop()));
  console.log(`\ncommand on A, REST ?wait to answer, ${COMMANDS} each:`);
  console.log(`  station on A (same node):  p50 ${fmt(same.percentile(50))}  p99 ${fmt(same.percentile(99))}  max ${fmt(same.maxUs)}`);
  console.log(`  station on B (other node): p50 ${fmt(other.percentile(50))}  p99 ${fmt(other.percentile(99))}  max ${fmt(other.maxUs)}`);
  console.log(`  added by the other node:   p50 ${fmt(other.percentile(50) - same.percentile(50))}  p99 ${fmt(other.percentile(99) - same.percentile(99))}`);
  return { sameP50Us: same.percentile(50), sameP99Us: same.percentile(99), otherP50Us: other.percentile(50), otherP99Us: other.percentile(99) };
}

/** The forwarding hop without REST, database or OCPP: ClusterPort.call local vs to the other node. */
async function hopLatency(natsUrl: string): Promise<Record<string, number>> {
  const make = async (nodeId: string) => {
    const nc = await connectNats(natsUrl, nodeId);
    const cluster = new NatsCluster(nc, { nodeId, callTimeoutMs: 5000, forwardSlackMs: 1000, heartbeatMs: 1000, nodeTtlMs: 5000 });
    await cluster.start();
    return { nc, cluster };
  };
  const [x, y] = [await make('hop-x'), await make('hop-y')];
  const link = (stationId: string) => ({ stationId, version: '2.0.1' as const, connectedAt: new Date(), call: async () => ({ status: 'Accepted' }), close: () => undefined });
  await x.cluster.attach(link('HOP-X'));
  await y.cluster.attach(link('HOP-Y'));
  const local = new Histogram();
  const remote = new Histogram();
  for (let i = 0; i < HOP_CALLS + 500; i++) {
    for (const [stationId, into] of [['HOP-X', local], ['HOP-Y', remote]] as const) {
      const started = process.hrtime.bigint();
      await x.cluster.call(stationId, 'ClearCache', {});
      if (i >= 500) into.record(Number(process.hrtime.bigint() - started) / 1000);
    }
  }
  for (const n of [x, y]) {
    await n.cluster.close();
    await n.nc.close();
  }
  console.log(`\nClusterPort.call alone, ${HOP_CALLS} each: local p50 ${fmt(local.percentile(50))} p99 ${fmt(local.percentile(99))}; other node p50 ${fmt(remote.percentile(50))} p99 ${fmt(remote.percentile(99))}`);
  return { hopLocalP99Us: local.percentile(99), hopRemoteP50Us: remote.percentile(50), hopRemoteP99Us: remote.percentile(99) };
}

/** Stations spread over the nodes send StatusNotification / Heartbeat at RATE per second in total. */
async function trafficPerNode(nodes: ServerUnderTest[], names: string[], monitor: string, tag: string): Promise<Record<string, number>> {
  const stations = Array.from({ length: STATIONS }, (_, i) => new SimStation({ url: (nodes[i % nodes.length] as ServerUnderTest).url, id: `TRF-${tag}-${i}`, version: i % 2 ? '1.6' : '2.0.1', heartbeats: false }));
  await Promise.all(stations.map((s) => s.start()));
  await sleep(2000);
  const read = async () => {
    const connz = (await (await fetch(`${monitor}/connz?limit=1000`)).json()) as Connz;
    return new Map(connz.connections.map((c) => [c.name ?? '', c.in_msgs + c.out_msgs]));
  };
  const before = await read();
  let sent = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const statuses = ['Available', 'Occupied'] as const;
  while (Date.now() < deadline) {
    const tickStart = Date.now();
    const batch = Math.max(1, Math.round(RATE / 10));
    await Promise.all(
      Array.from({ length: batch }, (_, j) => {
        const station = stations[(sent + j) % stations.length] as SimStation;
        return (sent + j) % 3 === 0 ? station.heartbeat() : station.setStatus(1, 1, statuses[(sent + j) % 2] as 'Available');
      }),
    );
    sent += batch;
    await sleep(Math.max(0, 100 - (Date.now() - tickStart)));
  }
  const after = await read();
  await Promise.all(stations.map((s) => s.stop()));
  const result: Record<string, number> = { ocppMessages: sent };
  const line: string[] = [];
  for (const name of names) {
    const key = `chargebridge-${name}`;
    const delta = (after.get(key) ?? 0) - (before.get(key) ?? 0);
    result[name] = delta;
    line.push(`${name} ${delta} (${((delta / sent) * 1000).toFixed(1)} per 1000 OCPP msgs)`);
  }
  console.log(`\n${nodes.length} nodes, ${STATIONS} stations, ${sent} OCPP messages in ${SECONDS} s; NATS msgs per node connection: ${line.join(', ')}`);
  return result;
}

async function main(): Promise<void> {
  const machine = await printMachine('cluster: command latency across nodes, NATS traffic per node');
  const nats = await startNats();
  const database = await throwAwayDatabase(baseDatabaseUrl);
  try {
    const a = await node('bench-a', database.url, nats.url);
    const b = await node('bench-b', database.url, nats.url);
    const latency = await commandLatency(a, b);
    const hop = await hopLatency(nats.url);
    const two = await trafficPerNode([a, b], ['bench-a', 'bench-b'], nats.monitor, 'two');
    const c = await node('bench-c', database.url, nats.url);
    const three = await trafficPerNode([a, b, c], ['bench-a', 'bench-b', 'bench-c'], nats.monitor, 'three');
    await Promise.all([a, b, c].map((n) => n.stop()));
    console.log(`\n${a.describeLogs()}; ${b.describeLogs()}; ${c.describeLogs()}`);
    printSummary({ benchmark: 'cluster-command-latency', machine, ...latency, ...hop, trafficTwoNodes: two, trafficThreeNodes: three });
  } finally {
    await database.drop();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
