/**
 * What the stuck service knows about stations: connection, last boot and
 * connector states, loaded once per station from the stations capability and
 * then kept current from domain events (no query per sweep).
 */
import type { DomainEvent } from '../../cluster/event-bus.ts';
import type { ConnectorFacts, StationFacts } from './stuck.ts';

/** A station as the stations capability reports it (app.ts adapts StationService to this). */
export interface StationSnapshot {
  online: boolean;
  connectedAt: Date | null;
  disconnectedAt: Date | null;
  lastBootAt: Date | null;
  siteId: string | null;
  connectors: Array<{ evseId: number; status: string; activity: string | null; reportedAt: Date }>;
}

export interface StationSnapshotSource {
  snapshot(stationId: string): Promise<StationSnapshot | null>;
}

interface Known {
  facts: StationFacts & { connectors: Map<number, ConnectorFacts> };
  siteId: string | null;
}

export class StationFactsCache {
  private readonly known = new Map<string, Known>();
  private readonly loading = new Map<string, Promise<Known | null>>();

  constructor(private readonly source: StationSnapshotSource) {}

  async get(stationId: string): Promise<Known | null> {
    const hit = this.known.get(stationId);
    if (hit) return hit;
    let pending = this.loading.get(stationId);
    if (!pending) {
      pending = this.load(stationId).finally(() => this.loading.delete(stationId));
      this.loading.set(stationId, pending);
    }
    return pending;
  }

  private async load(stationId: string): Promise<Known | null> {
    const snap = await this.source.snapshot(stationId);
    if (!snap) return null;
    const connectors = new Map<number, ConnectorFacts>();
    for (const c of snap.connectors) {
      // Several connectors on one EVSE: the one reported last speaks for it.
      const seen = connectors.get(c.evseId);
      if (!seen || seen.reportedAt <= c.reportedAt) connectors.set(c.evseId, { status: c.status, activity: c.activity, reportedAt: c.reportedAt, since: c.reportedAt });
    }
    const known: Known = {
      siteId: snap.siteId,
      facts: { online: snap.online, onlineSince: snap.online ? snap.connectedAt : null, offlineSince: snap.online ? null : snap.disconnectedAt, lastBootAt: snap.lastBootAt, connectors },
    };
    // Events that arrived while loading already updated an entry: keep that one.
    const raced = this.known.get(stationId);
    if (raced) return raced;
    this.known.set(stationId, known);
    return known;
  }

  /** Applies a domain event to a station already known; unknown stations are loaded when needed. */
  onEvent(event: DomainEvent): void {
    if (!('stationId' in event)) return;
    const known = this.known.get(event.stationId);
    if (!known) return;
    const at = new Date(event.at);
    const facts = known.facts;
    switch (event.type) {
      case 'station.connected':
        facts.online = true;
        facts.onlineSince = at;
        facts.offlineSince = null;
        return;
      case 'station.disconnected':
        facts.online = false;
        facts.offlineSince = at;
        return;
      case 'station.booted':
        facts.lastBootAt = at;
        return;
      case 'station.status-changed':
        if (event.evseId > 0) {
          const before = facts.connectors.get(event.evseId);
          const same = before && before.status === event.status && before.activity === event.activity;
          facts.connectors.set(event.evseId, { status: event.status, activity: event.activity, reportedAt: at, since: same ? before.since : at });
        }
        return;
      default:
        return;
    }
  }

  /** Everything is read again when next needed (events were not heard for a while). */
  clear(): void {
    this.known.clear();
  }

  /** The site moved (REST update) or the station was removed: read it again when next needed. */
  forget(stationId: string): void {
    this.known.delete(stationId);
  }
}
