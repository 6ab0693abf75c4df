/**
 * ClusterPort for several nodes (ADR 0012). The station -> node registry is a
 * JetStream KV bucket written with compare-and-set, so concurrent connects of
 * one station on two nodes are ordered by the server: the later write wins
 * and tells the node it superseded to close its socket (one targeted
 * message, never a broadcast). Calls to a station on another node are NATS
 * requests to that node; a call to a local station never leaves the process.
 */
import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { OcppRemoteError } from '../ocpp/ocpp-error-codes.ts';
import type { ClusterPort, StationLink, StationLocation } from './cluster-port.ts';
import { nodeSubject, subjectToken, type NodeVerb } from './nats-connection.ts';
import { NodeDirectory } from './nats-node-directory.ts';
import { callFailure, decodeJson, encodeJson, remoteRequestError, type CallReply, type CallRequest } from './cluster-nats-wire.ts';
import { isWrongLastSequence, StationRegistry, type Ownership } from './cluster-nats-registry.ts';

const REPLACED = 'replaced by a newer connection of the same station';
/** Attempts of the compare-and-set loop; each lost race means another connect landed first. */
const MAX_CLAIM_ATTEMPTS = 8;
/** Station ids per page of a node listing (48 characters at most each: well below 1 MB). */
const LIST_PAGE = 10_000;

export interface NatsClusterSettings {
  nodeId: string;
  /** Default of an outgoing call's timeout (the session's own default). */
  callTimeoutMs: number;
  /** Added to a forwarded call's timeout so the owner's own timeout answers first. */
  forwardSlackMs: number;
  heartbeatMs: number;
  nodeTtlMs: number;
}

interface LocalLink {
  link: StationLink;
  linkId: string;
  /** KV revision of our claim, for the compare-and-set delete on detach. */
  revision: number | null;
  /** A claim is being written (the retry timer must not write a second one meanwhile). */
  claiming: boolean;
}

export class NatsCluster implements ClusterPort {
  readonly nodeId: string;
  private readonly nodes: NodeDirectory;
  private readonly registry: StationRegistry;
  private readonly links = new Map<string, LocalLink>();
  private readonly subscriptions: Subscription[] = [];
  /** Calls forwarded to each node, failed at once when the node dies. */
  private readonly inFlight = new Map<string, Set<(error: Error) => void>>();
  private reclaimTimer?: NodeJS.Timeout;
  private seq = 0;
  /** Link ids stay unique when a node restarts under the same node id. */
  private readonly incarnation = randomUUID().slice(0, 8);

  constructor(
    private readonly nc: NatsConnection,
    private readonly settings: NatsClusterSettings,
    /** Where failures nobody awaits are reported (the app's logger). */
    private readonly onError: (what: string, error: unknown) => void = () => undefined,
  ) {
    this.nodeId = settings.nodeId;
    this.nodes = new NodeDirectory(nc, settings.nodeId, { heartbeatMs: settings.heartbeatMs, ttlMs: settings.nodeTtlMs });
    this.registry = new StationRegistry(nc, this.nodes);
  }

  async start(): Promise<void> {
    await this.registry.open();
    this.serve('call', (msg) => this.serveCall(msg));
    this.serve('evict', (msg) => this.serveEvict(msg));
    this.serve('disconnect', (msg) => this.serveDisconnect(msg));
    this.serve('list', (msg) => this.serveList(msg));
    await this.nc.flush();
    await this.nodes.start();
    this.reclaimTimer = setInterval(() => this.reclaim(), this.settings.heartbeatMs);
    this.reclaimTimer.unref();
    this.nodes.onDeath((node) => {
      const pending = this.inFlight.get(node);
      this.inFlight.delete(node);
      for (const fail of pending ?? []) fail(new OcppRemoteError('StationOffline', `node ${node} holding the station stopped answering; outcome unknown`));
    });
  }

  async attach(link: StationLink): Promise<void> {
    const linkId = `${this.nodeId}#${this.incarnation}#${++this.seq}`;
    const mine: LocalLink = { link, linkId, revision: null, claiming: false };
    const previous = this.links.get(link.stationId);
    this.links.set(link.stationId, mine);
    if (previous && previous.link !== link) previous.link.close(1000, REPLACED);
    try {
      await this.claim(mine);
    } catch (error) {
      // NATS unreachable: the station is served here all the same; the claim is retried with the heartbeat.
      this.onError(`registry claim for ${link.stationId} failed; retrying`, error);
    }
  }

  /** Writes our claim over whatever the registry holds, and tells the node we superseded. */
  private async claim(mine: LocalLink, late = false): Promise<void> {
    mine.claiming = true;
    try {
      await this.writeClaim(mine, late);
    } finally {
      mine.claiming = false;
    }
  }

  private async writeClaim(mine: LocalLink, late: boolean): Promise<void> {
    const { stationId } = mine.link;
    const ownership: Ownership = { nodeId: this.nodeId, linkId: mine.linkId, version: mine.link.version, connectedAt: mine.link.connectedAt.toISOString() };
    for (let attempt = 1; ; attempt++) {
      const { holder, revision: current } = await this.registry.read(stationId);
      // A late claim (NATS was away) must not steal the station from a newer connection elsewhere.
      if (late && holder && holder.linkId !== mine.linkId && new Date(holder.connectedAt) > mine.link.connectedAt) {
        if (this.links.get(stationId) === mine) this.links.delete(stationId);
        mine.link.close(1000, REPLACED);
        return;
      }
      try {
        const revision = await this.registry.write(stationId, ownership, current);
        if (this.links.get(stationId) !== mine) {
          // The socket closed (or was replaced) while we wrote: take the claim back unless a newer one followed.
          await this.registry.release(stationId, revision).catch(() => undefined);
          return;
        }
        mine.revision = revision;
        if (holder && holder.linkId !== mine.linkId && holder.nodeId !== this.nodeId) {
          this.nc.publish(nodeSubject(holder.nodeId, 'evict'), encodeJson({ stationId, linkId: holder.linkId }));
        }
        return;
      } catch (error) {
        // Another node's claim landed between our read and write: read again and supersede it.
        if (attempt >= MAX_CLAIM_ATTEMPTS || !isWrongLastSequence(error)) throw error;
      }
    }
  }

  /** Claims that could not be written (NATS was away) are written now. */
  private reclaim(): void {
    for (const mine of this.links.values()) {
      if (mine.revision === null && !mine.claiming) void this.claim(mine, true).catch(() => undefined);
    }
  }

  async detach(link: StationLink): Promise<boolean> {
    const mine = this.links.get(link.stationId);
    if (!mine || mine.link !== link) return false;
    this.links.delete(link.stationId);
    if (mine.revision === null) return true;
    try {
      // Only our own claim is removed: a newer claim from another node has another revision.
      return await this.registry.release(link.stationId, mine.revision);
    } catch (error) {
      // NATS unreachable: the socket was ours and it closed; our stale entry dies with our heartbeat or the next claim.
      this.onError(`registry release for ${link.stationId} failed`, error);
      return true;
    }
  }

  async locate(stationId: string): Promise<StationLocation | null> {
    const local = this.links.get(stationId);
    if (local) return { stationId, nodeId: this.nodeId, version: local.link.version, connectedAt: local.link.connectedAt };
    const owner = await this.registry.owner(stationId);
    return owner ? { stationId, nodeId: owner.nodeId, version: owner.version, connectedAt: new Date(owner.connectedAt) } : null;
  }

  isLocal(stationId: string): boolean {
    return this.links.has(stationId);
  }

  async call(stationId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const local = this.links.get(stationId);
      if (local) return local.link.call(action, payload, options);
      const owner = (attempt === 1 ? this.registry.recentOwner(stationId) : null) ?? (await this.registry.owner(stationId));
      if (!owner) throw new OcppRemoteError('StationOffline', `station ${stationId} is not connected`);
      let reply: CallReply;
      try {
        reply = await this.forward(owner.nodeId, { stationId, action, payload, timeoutMs: options?.timeoutMs });
      } catch (error) {
        this.registry.forget(stationId);
        throw error;
      }
      if (reply.ok) return reply.payload;
      this.registry.forget(stationId);
      // The station moved between our lookup and the owner's: look it up once more.
      if (reply.code === 'NotHere' && attempt < 2) continue;
      throw new OcppRemoteError(reply.code === 'NotHere' ? 'StationOffline' : reply.code, reply.message, reply.details);
    }
  }

  async disconnect(stationId: string, reason: string): Promise<void> {
    const local = this.links.get(stationId);
    if (local) return local.link.close(1008, reason);
    const owner = await this.registry.owner(stationId);
    if (!owner) return;
    await this.nc.request(nodeSubject(owner.nodeId, 'disconnect'), encodeJson({ stationId, reason }), { timeout: 2000 }).catch(() => undefined);
  }

  localStationIds(): string[] {
    return [...this.links.keys()];
  }

  async connectedStationIds(): Promise<string[]> {
    const others = this.nodes.aliveNodes().filter((node) => node !== subjectToken(this.nodeId));
    const lists = await Promise.all(others.map((node) => this.listOf(node).catch(() => [] as string[])));
    return [...new Set([...this.localStationIds(), ...lists.flat()])];
  }

  /** One node's stations, in pages that stay below NATS's payload limit. */
  private async listOf(node: string): Promise<string[]> {
    const ids: string[] = [];
    for (;;) {
      const msg = await this.nc.request(nodeSubject(node, 'list'), encodeJson({ offset: ids.length, limit: LIST_PAGE }), { timeout: 5000 });
      const page = decodeJson<{ ids: string[]; more: boolean }>(msg.data);
      ids.push(...page.ids);
      if (!page.more || page.ids.length === 0) return ids;
    }
  }

  /** Alive nodes, this one included (for diagnostics and tests). */
  aliveNodes(): string[] {
    return this.nodes.aliveNodes();
  }

  async close(): Promise<void> {
    clearInterval(this.reclaimTimer);
    for (const sub of this.subscriptions) sub.unsubscribe();
    // Our claims go with us: a station whose socket closed with this node is offline, not "elsewhere".
    await Promise.allSettled([...this.links.values()].map((l) => (l.revision === null ? null : this.registry.release(l.link.stationId, l.revision))));
    this.links.clear();
    await this.nodes.stop();
  }

  // --- internals ---------------------------------------------------------------------

  private forward(nodeId: string, request: CallRequest): Promise<CallReply> {
    const timeoutMs = (request.timeoutMs ?? this.settings.callTimeoutMs) + this.settings.forwardSlackMs;
    const node = subjectToken(nodeId);
    return new Promise<CallReply>((resolve, reject) => {
      const pending = this.inFlight.get(node) ?? new Set();
      this.inFlight.set(node, pending);
      const settle = () => pending.delete(reject);
      pending.add(reject);
      this.nc.request(nodeSubject(nodeId, 'call'), encodeJson(request), { timeout: timeoutMs }).then(
        (msg) => {
          settle();
          resolve(decodeJson<CallReply>(msg.data));
        },
        (error: unknown) => {
          settle();
          reject(remoteRequestError(error, request.stationId, nodeId, timeoutMs));
        },
      );
    });
  }

  private serve(verb: NodeVerb, handler: (msg: Msg) => Promise<void> | void): void {
    const sub = this.nc.subscribe(nodeSubject(this.nodeId, verb), {
      callback: (error, msg) => {
        if (error) return;
        void Promise.resolve(handler(msg)).catch(() => undefined);
      },
    });
    this.subscriptions.push(sub);
  }

  private async serveCall(msg: Msg): Promise<void> {
    const request = decodeJson<CallRequest>(msg.data);
    const local = this.links.get(request.stationId);
    if (!local) {
      msg.respond(encodeJson({ ok: false, code: 'NotHere', message: `station ${request.stationId} is not connected to node ${this.nodeId}` } satisfies CallReply));
      return;
    }
    let reply: CallReply;
    try {
      reply = { ok: true, payload: await local.link.call(request.action, request.payload, { timeoutMs: request.timeoutMs }) };
    } catch (error) {
      reply = callFailure(error);
    }
    msg.respond(encodeJson(reply));
  }

  private serveEvict(msg: Msg): void {
    const { stationId, linkId } = decodeJson<{ stationId: string; linkId: string }>(msg.data);
    const local = this.links.get(stationId);
    // Only the superseded connection: a newer one on this node has another link id.
    if (!local || local.linkId !== linkId) return;
    // Forgotten before it closes, so its close is not recorded as the station going offline.
    this.links.delete(stationId);
    local.link.close(1000, REPLACED);
  }

  private serveList(msg: Msg): void {
    const { offset, limit } = decodeJson<{ offset: number; limit: number }>(msg.data);
    const all = this.localStationIds();
    msg.respond(encodeJson({ ids: all.slice(offset, offset + limit), more: offset + limit < all.length }));
  }

  private serveDisconnect(msg: Msg): void {
    const { stationId, reason } = decodeJson<{ stationId: string; reason: string }>(msg.data);
    this.links.get(stationId)?.link.close(1008, reason);
    msg.respond(encodeJson({ ok: true }));
  }
}

