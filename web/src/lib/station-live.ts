/**
 * Applies a live event to a station as the console shows it, without a
 * round trip: connected / disconnected, and connector statuses. EVSE 0
 * (1.6 connector 0) is the station's own status, as in the REST view.
 */
import type { LiveEvent, Station } from './types.ts';

export function applyLiveEvent(station: Station, event: LiveEvent): Station {
  if (event.stationId !== station.id) return station;
  switch (event.type) {
    case 'station.connected':
      return { ...station, connected: true, connectedAt: event.at, lastSeenAt: event.at, ocppVersion: (event.ocppVersion as Station['ocppVersion']) ?? station.ocppVersion };
    case 'station.disconnected':
      return { ...station, connected: false, disconnectedAt: event.at };
    case 'station.booted':
      return { ...station, lastBootAt: event.at, lastBootReason: event.reason, registrationStatus: event.registrationStatus, lastSeenAt: event.at };
    case 'station.status-changed': {
      const report = { status: event.status, ocppStatus: event.ocppStatus, reportedAt: event.at };
      if (event.evseId === 0) {
        const detail = { errorCode: null, info: null, ...station.statusDetail, ...report };
        return { ...station, status: event.status, statusDetail: detail, lastSeenAt: event.at };
      }
      const evses = station.evses.some((e) => e.id === event.evseId)
        ? station.evses.map((e) => (e.id === event.evseId ? { ...e, connectors: upsertConnector(e.connectors, event.connectorId, report) } : e))
        : [...station.evses, { id: event.evseId, connectors: upsertConnector([], event.connectorId, report) }].sort((a, b) => a.id - b.id);
      return { ...station, evses, lastSeenAt: event.at };
    }
    default:
      return station;
  }
}

function upsertConnector(connectors: Station['evses'][number]['connectors'], id: number, report: { status: Station['evses'][number]['connectors'][number]['status']; ocppStatus: string | null; reportedAt: string }) {
  const found = connectors.some((c) => c.id === id);
  const next = found
    ? connectors.map((c) => (c.id === id ? { ...c, ...report, errorCode: null, info: null } : c))
    : [...connectors, { id, errorCode: null, info: null, ...report }];
  return next.sort((a, b) => a.id - b.id);
}

/**
 * The one status to show for a station in a list: offline first (nothing it
 * last said is current), then the worst of its own status and its connectors'.
 */
export type StationSummary = 'Offline' | 'Faulted' | 'Unavailable' | 'Occupied' | 'Reserved' | 'Available' | 'Unknown';

export function summarize(station: Station): StationSummary {
  if (!station.connected) return 'Offline';
  const statuses = [station.status, ...station.evses.flatMap((e) => e.connectors.map((c) => c.status))].filter((s) => s !== null);
  if (statuses.includes('Faulted')) return 'Faulted';
  if (station.status === 'Unavailable' || (statuses.length > 0 && statuses.every((s) => s === 'Unavailable'))) return 'Unavailable';
  if (statuses.includes('Occupied')) return 'Occupied';
  if (statuses.includes('Reserved')) return 'Reserved';
  if (statuses.includes('Available')) return 'Available';
  return 'Unknown';
}
