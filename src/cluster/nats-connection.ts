/**
 * One NATS connection per node, shared by the cluster registry, command
 * routing and the event bus (ADR 0012). Subjects and bucket names live here
 * so the pieces agree on them.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV, type KvOptions } from '@nats-io/kv';

export const SUBJECT_PREFIX = 'chargebridge';

export type NodeVerb = 'call' | 'evict' | 'disconnect' | 'list';

/** Requests addressed to one node: `chargebridge.node.<nodeId>.<verb>`. */
export function nodeSubject(nodeId: string, verb: NodeVerb): string {
  return `${SUBJECT_PREFIX}.node.${subjectToken(nodeId)}.${verb}`;
}

/** Domain events fan out on `chargebridge.events.<type>`. */
export function eventSubject(type: string): string {
  return `${SUBJECT_PREFIX}.events.${type}`;
}

/** A NATS subject token may not hold '.', '*', '>' or whitespace; node ids come from configuration. */
export function subjectToken(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * KV keys allow [-/_=.A-Za-z0-9]; station ids may also hold ~ : * + | @, so
 * keys are base64url (which is reversible and stays inside the allowed set).
 */
export function stationKey(stationId: string): string {
  return Buffer.from(stationId, 'utf8').toString('base64url');
}

export function connectNats(url: string, nodeId: string): Promise<NatsConnection> {
  // Reconnect forever: a NATS restart must not take the node down; calls fail meanwhile.
  return connect({ servers: url.split(','), name: `chargebridge-${nodeId}`, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}

/** Creates the bucket, or binds to it when it exists with other settings (an operator may have tuned it). */
export async function openBucket(nc: NatsConnection, name: string, options: Partial<KvOptions>): Promise<KV> {
  const kvm = new Kvm(nc);
  try {
    return await kvm.create(name, options);
  } catch {
    return kvm.open(name);
  }
}
