/**
 * The station -> node registry of the NATS cluster (ADR 0012): one JetStream
 * KV entry per connected station, written with compare-and-set on the
 * revision read, so the server orders concurrent connects. Entries of a dead
 * node are ignored until superseded.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import type { OcppVersion } from '../kernel/protocol-version.ts';
import { openBucket, stationKey } from './nats-connection.ts';
import type { NodeDirectory } from './nats-node-directory.ts';
import { encodeJson } from './cluster-nats-wire.ts';

const STATIONS_BUCKET = 'chargebridge_stations';
/**
 * How long a call may reuse the owner a lookup found (the command pump looks
 * the station up right before it calls). Safe: a node that no longer holds
 * the station answers NotHere and the call looks up again. `owner()` never
 * uses it, so "is it connected" is always read fresh.
 */
const OWNER_REUSE_MS = 1000;
const OWNER_CACHE_LIMIT = 10_000;

export interface Ownership {
  nodeId: string;
  /** One connection: node, node incarnation, sequence. */
  linkId: string;
  version: OcppVersion;
  connectedAt: string;
}

export class StationRegistry {
  private kv!: KV;
  private readonly recentOwners = new Map<string, { owner: Ownership; at: number }>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly nodes: NodeDirectory,
  ) {}

  async open(): Promise<void> {
    this.kv = await openBucket(this.nc, STATIONS_BUCKET, { history: 1 });
  }

  /** The entry as it is (a dead node's too), and the revision to write over. */
  async read(stationId: string): Promise<{ holder: Ownership | null; revision: number }> {
    const entry = await this.kv.get(stationKey(stationId));
    return { holder: entry?.operation === 'PUT' ? entry.json<Ownership>() : null, revision: entry?.revision ?? 0 };
  }

  /** Writes if the entry is still at `revision`; throws a wrong-last-sequence error otherwise. Returns the new revision. */
  write(stationId: string, ownership: Ownership, revision: number): Promise<number> {
    return this.kv.put(stationKey(stationId), encodeJson(ownership), { previousSeq: revision });
  }

  /** Deletes the entry if it is still at `revision` (ours); false when a newer claim replaced it. */
  async release(stationId: string, revision: number): Promise<boolean> {
    try {
      await this.kv.delete(stationKey(stationId), { previousSeq: revision });
      return true;
    } catch (error) {
      if (isWrongLastSequence(error)) return false;
      throw error;
    }
  }

  /** The live owner, read fresh. */
  async owner(stationId: string): Promise<Ownership | null> {
    const { holder } = await this.read(stationId);
    // A dead node's claims are ignored until the station reconnects somewhere and supersedes them.
    if (!holder || !this.nodes.isAlive(holder.nodeId)) {
      this.recentOwners.delete(stationId);
      return null;
    }
    if (this.recentOwners.size >= OWNER_CACHE_LIMIT) this.recentOwners.clear();
    this.recentOwners.set(stationId, { owner: holder, at: Date.now() });
    return holder;
  }

  /** The owner a lookup found within the last second, if its node still lives. */
  recentOwner(stationId: string): Ownership | null {
    const recent = this.recentOwners.get(stationId);
    if (!recent || Date.now() - recent.at > OWNER_REUSE_MS || !this.nodes.isAlive(recent.owner.nodeId)) return null;
    return recent.owner;
  }

  forget(stationId: string): void {
    this.recentOwners.delete(stationId);
  }
}

export function isWrongLastSequence(error: unknown): boolean {
  // JetStream API error 10071: wrong last sequence (the compare-and-set lost).
  return /wrong last sequence/i.test((error as Error)?.message ?? '') || (error as { code?: unknown })?.code === 10071;
}
