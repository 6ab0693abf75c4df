/** Single-node ClusterPort: the registry is a Map in this process. */
import { OcppRemoteError } from '../ocpp/ocpp-error-codes.ts';
import type { ClusterPort, StationLink, StationLocation } from './cluster-port.ts';

export class InProcessCluster implements ClusterPort {
  private readonly links = new Map<string, StationLink>();

  constructor(readonly nodeId = 'local') {}

  async attach(link: StationLink): Promise<void> {
    const previous = this.links.get(link.stationId);
    this.links.set(link.stationId, link);
    if (previous && previous !== link) previous.close(1000, 'replaced by a newer connection of the same station');
  }

  async detach(link: StationLink): Promise<boolean> {
    if (this.links.get(link.stationId) !== link) return false;
    this.links.delete(link.stationId);
    return true;
  }

  async locate(stationId: string): Promise<StationLocation | null> {
    const link = this.links.get(stationId);
    return link ? { stationId, nodeId: this.nodeId, version: link.version, connectedAt: link.connectedAt } : null;
  }

  isLocal(stationId: string): boolean {
    return this.links.has(stationId);
  }

  async call(stationId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown> {
    const link = this.links.get(stationId);
    if (!link) throw new OcppRemoteError('StationOffline', `station ${stationId} is not connected`);
    return link.call(action, payload, options);
  }

  async disconnect(stationId: string, reason: string): Promise<void> {
    this.links.get(stationId)?.close(1008, reason);
  }

  localStationIds(): string[] {
    return [...this.links.keys()];
  }

  async connectedStationIds(): Promise<string[]> {
    return this.localStationIds();
  }

  async close(): Promise<void> {
    this.links.clear();
  }
}
