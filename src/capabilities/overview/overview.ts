/**
 * Overview core: the network at a glance, from counts the repository reads.
 * Pure: the online count and "today" come in as values.
 */

export interface OverviewCounts {
  stationsTotal: number;
  /** Stations with at least one connector (or the station itself, EVSE 0) reporting Faulted. */
  stationsFaulted: number;
  /** Current connector statuses of EVSEs >= 1, by version-neutral status. */
  connectorsByStatus: Record<string, number>;
  sessionsRunning: number;
  /** EVSEs with a running session. */
  evsesCharging: number;
  /** Energy of sessions that were running at some point today (started, ongoing or ended since midnight). */
  energyTodayWh: number;
}

export interface Overview {
  stations: { total: number; online: number; offline: number; faulted: number };
  connectors: { total: number; available: number; occupied: number; charging: number; reserved: number; unavailable: number; faulted: number };
  sessions: { running: number };
  energy: { todayWh: number; since: string };
  at: string;
}

/** Start of the UTC day that contains `now`. */
export function startOfDayUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function buildOverview(counts: OverviewCounts, online: number, now: Date): Overview {
  const by = (status: string) => counts.connectorsByStatus[status] ?? 0;
  const total = Object.values(counts.connectorsByStatus).reduce((sum, n) => sum + n, 0);
  // A station connected but deleted meanwhile must not make "offline" negative.
  const onlineKnown = Math.min(online, counts.stationsTotal);
  return {
    stations: { total: counts.stationsTotal, online: onlineKnown, offline: counts.stationsTotal - onlineKnown, faulted: counts.stationsFaulted },
    connectors: {
      total,
      available: by('Available'),
      // "Occupied" is every version's in-use state (1.6 Preparing/Charging/Suspended*/Finishing, 2.x Occupied):
      // plugged in, charging or not. Charging = an EVSE with a running session (a 2.x connector stays
      // Occupied after its session ends until the cable is unplugged).
      occupied: by('Occupied'),
      charging: counts.evsesCharging,
      reserved: by('Reserved'),
      unavailable: by('Unavailable'),
      faulted: by('Faulted'),
    },
    sessions: { running: counts.sessionsRunning },
    energy: { todayWh: Math.round(counts.energyTodayWh), since: startOfDayUtc(now).toISOString() },
    at: now.toISOString(),
  };
}
