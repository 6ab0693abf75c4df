/**
 * Chooses the cluster implementations at start: alone (in-process registry,
 * in-process events, every lease ours) without a NATS URL; with one, the
 * NATS registry and events and PostgreSQL leases (ADR 0012, 0013).
 */
import { hostname } from 'node:os';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { Database } from '../storage/database.ts';
import type { ClusterPort } from './cluster-port.ts';
import { InProcessCluster } from './cluster-in-process.ts';
import { NatsCluster } from './cluster-nats.ts';
import { InProcessEventBus, type EventBus } from './event-bus.ts';
import { NatsEventBus } from './event-bus-nats.ts';
import { LocalLeases, type Leases } from './lease.ts';
import { SqlLeases } from './lease-sql.ts';
import { connectNats, subjectToken } from './nats-connection.ts';

export interface ClusterSettings {
  natsUrl?: string;
  nodeId?: string;
  heartbeatSec: number;
  nodeTtlSec: number;
  /** The session's default call timeout; a forwarded call waits this plus a margin. */
  callTimeoutMs: number;
}

export interface ClusterMode {
  nodeId: string;
  /** True when several nodes may share the database and the stations. */
  clustered: boolean;
  cluster: ClusterPort;
  events: EventBus;
  leases: Leases;
  describe: string;
  close(): Promise<void>;
}

/** Margin on a forwarded call: the owner's own timeout answers first, so the caller sees the station's Timeout. */
export const FORWARD_SLACK_MS = 2000;

export function defaultNodeId(): string {
  return subjectToken(`${hostname()}-${process.pid}`).slice(0, 64);
}

export async function openClusterMode(settings: ClusterSettings, db: Database, log: Logger): Promise<ClusterMode> {
  const nodeId = settings.nodeId ?? defaultNodeId();
  if (!settings.natsUrl) {
    const cluster = new InProcessCluster(nodeId);
    return {
      nodeId,
      clustered: false,
      cluster,
      events: new InProcessEventBus(nodeId),
      leases: new LocalLeases(nodeId),
      describe: 'single node',
      close: () => cluster.close(),
    };
  }
  // One late heartbeat must not make a live node look dead.
  if (settings.nodeTtlSec < 2 * settings.heartbeatSec) throw new Error(`cluster.nodeTtlSec (${settings.nodeTtlSec}) must be at least twice cluster.heartbeatSec (${settings.heartbeatSec})`);
  const nc: NatsConnection = await connectNats(settings.natsUrl, nodeId);
  const reportError = (what: string, error: unknown) => log.warn({ err: (error as Error)?.message ?? String(error) }, what);
  const clusterSettings = {
    nodeId,
    callTimeoutMs: settings.callTimeoutMs,
    forwardSlackMs: FORWARD_SLACK_MS,
    heartbeatMs: settings.heartbeatSec * 1000,
    nodeTtlMs: settings.nodeTtlSec * 1000,
  };
  const cluster = new NatsCluster(nc, clusterSettings, reportError);
  try {
    await cluster.start();
  } catch (error) {
    await nc.close();
    throw new Error(`cannot join the cluster over NATS (is JetStream enabled?): ${(error as Error).message}`);
  }
  const events = new NatsEventBus(nc, nodeId);
  return {
    nodeId,
    clustered: true,
    cluster,
    events,
    leases: new SqlLeases(db, nodeId),
    describe: `cluster node ${nodeId} over NATS`,
    async close() {
      await cluster.close();
      events.close();
      await nc.drain().catch(() => nc.close());
    },
  };
}
