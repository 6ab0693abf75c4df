/**
 * Status history → one band per connector over a time window: consecutive
 * segments [start, end) with the status that held, for the station page's
 * timeline ("what was this connector doing an hour ago"). Pure.
 */
import type { StatusHistoryEntry } from './types.ts';

export interface Segment {
  start: number;
  end: number;
  status: string;
}

export interface Band {
  key: string;
  label: string;
  segments: Segment[];
}

/**
 * `history` may come in any order. The status before the first report inside
 * the window is the last report before it (if the history reaches back that far).
 */
export function statusBands(history: StatusHistoryEntry[], from: number, to: number): Band[] {
  const byConnector = new Map<string, StatusHistoryEntry[]>();
  for (const entry of history) {
    const key = `${entry.evseId}/${entry.connectorId}`;
    const list = byConnector.get(key) ?? [];
    list.push(entry);
    byConnector.set(key, list);
  }
  const bands: Band[] = [];
  for (const [key, entries] of byConnector) {
    const sorted = entries.map((e) => ({ t: Date.parse(e.reportedAt), status: e.status })).sort((a, b) => a.t - b.t);
    const segments: Segment[] = [];
    for (let i = 0; i < sorted.length; i++) {
      const current = sorted[i] as { t: number; status: string };
      const next = sorted[i + 1];
      const start = Math.max(current.t, from);
      const end = Math.min(next ? next.t : to, to);
      if (end <= start) continue;
      const last = segments.at(-1);
      if (last && last.status === current.status && last.end === start) last.end = end;
      else segments.push({ start, end, status: current.status });
    }
    const [evse, connector] = key.split('/');
    bands.push({ key, label: evse === '0' ? 'Station' : `EVSE ${evse} · ${connector}`, segments });
  }
  return bands.sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true }));
}
