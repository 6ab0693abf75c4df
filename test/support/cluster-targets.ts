/**
 * The ClusterPort implementations a contract suite runs on: always the
 * in-process one; the NATS one when CHARGEBRIDGE_TEST_NATS_URL (or NATS_URL)
 * points at a NATS server with JetStream. A "pair" is two nodes of one
 * cluster (for the in-process implementation: the same node twice).
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { InProcessCluster } from '../../src/cluster/cluster-in-process.ts';
import { NatsCluster } from '../../src/cluster/cluster-nats.ts';
import type { ClusterPort, StationLink } from '../../src/cluster/cluster-port.ts';
import { InProcessEventBus, type EventBus } from '../../src/cluster/event-bus.ts';
import { NatsEventBus } from '../../src/cluster/event-bus-nats.ts';
import { connectNats } from '../../src/cluster/nats-connection.ts';
import { OcppRemoteError } from '../../src/ocpp/ocpp-error-codes.ts';

export const natsUrl = process.env.CHARGEBRIDGE_TEST_NATS_URL ?? process.env.NATS_URL;
export const natsSkip = natsUrl ? null : 'set CHARGEBRIDGE_TEST_NATS_URL (or NATS_URL) to run the NATS cluster suite';

export interface ClusterNode {
  cluster: ClusterPort;
  events: EventBus;
  /** Ends the node as SIGKILL would: no goodbye, its registry entries stay behind. */
  crash(): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterTarget {
  name: string;
  skip: string | null;
  distinct: boolean;
  pair(): Promise<[ClusterNode, ClusterNode]>;
}

export const HEARTBEAT_MS = 100;
export const NODE_TTL_MS = 500;

async function natsNode(): Promise<ClusterNode> {
  const nodeId = `test-${randomUUID().slice(0, 8)}`;
  const nc: NatsConnection = await connectNats(natsUrl as string, nodeId);
  const cluster = new NatsCluster(nc, { nodeId, callTimeoutMs: 5000, forwardSlackMs: 1000, heartbeatMs: HEARTBEAT_MS, nodeTtlMs: NODE_TTL_MS });
  await cluster.start();
  const events = new NatsEventBus(nc, nodeId);
  let closed = false;
  return {
    cluster,
    events,
    async crash() {
      closed = true;
      // The connection goes, the heartbeat stops, nothing is cleaned up: as after SIGKILL.
      await nc.close();
    },
    async close() {
      if (closed) return;
      closed = true;
      events.close();
      await cluster.close();
      await nc.close();
    },
  };
}

export const clusterTargets: ClusterTarget[] = [
  {
    name: 'in-process',
    skip: null,
    distinct: false,
    async pair() {
      const cluster = new InProcessCluster();
      const events = new InProcessEventBus();
      const node: ClusterNode = { cluster, events, crash: () => cluster.close(), close: () => cluster.close() };
      return [node, node];
    },
  },
  {
    name: 'NATS',
    skip: natsSkip,
    distinct: true,
    pair: async () => [await natsNode(), await natsNode()],
  },
];

/** A station connection for the cluster to hold: answers calls with `answer`, records how it was closed. */
export class FakeLink implements StationLink {
  readonly connectedAt = new Date();
  closed: { code: number; reason: string } | null = null;
  calls: Array<{ action: string; payload: unknown }> = [];

  constructor(
    readonly stationId: string,
    readonly version: '1.6' | '2.0.1' | '2.1' = '2.0.1',
    private readonly answer: (action: string, payload: unknown, timeoutMs: number) => Promise<unknown> = async (action) => ({ echoed: action }),
  ) {}

  call(action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown> {
    if (this.closed) return Promise.reject(new OcppRemoteError('StationOffline', `station ${this.stationId} is not connected`));
    this.calls.push({ action, payload });
    return this.answer(action, payload, options?.timeoutMs ?? 5000);
  }

  close(code: number, reason: string): void {
    this.closed ??= { code, reason };
  }
}

export function uniqueStation(prefix = 'CB'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}:*@`;
}
