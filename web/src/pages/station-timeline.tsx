/** Status reports and connects / disconnects of a station, merged into one timeline, newest first. */
import { useLiveEvents, useLoad, useSession, useThrottled } from '../context.tsx';
import { formatTime } from '../lib/format.ts';
import type { ConnectionHistoryEntry, StatusHistoryEntry } from '../lib/types.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { StatusBands } from '../components/status-bands.tsx';

type Item = { at: string; key: string; node: React.ReactNode };

export function StatusTimeline({ id }: { id: string }) {
  const { api } = useSession();
  const path = `/stations/${encodeURIComponent(id)}`;
  const data = useLoad(
    () =>
      Promise.all([
        api.get<{ items: StatusHistoryEntry[] }>(`${path}/status-history`, { limit: 100 }),
        api.get<{ items: ConnectionHistoryEntry[] }>(`${path}/connection-history`, { limit: 50 }),
      ]),
    [api, path],
  );
  const reload = useThrottled(data.reload, 1000);
  useLiveEvents((event) => {
    if (event.stationId === id && (event.type === 'station.status-changed' || event.type === 'station.connected' || event.type === 'station.disconnected')) reload();
  });
  if (data.error) return <p className="error">{data.error}</p>;
  if (!data.data) return <p>Loading…</p>;
  const [statuses, connections] = data.data;
  const items: Item[] = [
    ...statuses.items.map((s, i) => ({
      at: s.receivedAt,
      key: `s${i}`,
      node: (
        <>
          {s.evseId === 0 ? 'Station' : `EVSE ${s.evseId} connector ${s.connectorId}`}: <StatusBadge status={s.status} />
          {s.ocppStatus && s.ocppStatus !== s.status && <span className="muted"> ({s.ocppStatus})</span>}
          {s.errorCode && s.errorCode !== 'NoError' && <span className="error"> {s.errorCode}</span>}
        </>
      ),
    })),
    ...connections.items.map((c, i) => ({
      at: c.at,
      key: `c${i}`,
      node: (
        <>
          <StatusBadge status={c.event === 'connected' ? 'Online' : 'Offline'} /> {c.event === 'connected' ? `connected (OCPP ${c.ocppVersion ?? '?'})` : `disconnected${c.reason ? `: ${c.reason}` : ''}`}
        </>
      ),
    })),
  ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <>
      <StatusBands history={statuses.items} />
      <ol className="timeline" aria-label="Status history" data-testid="status-timeline">
        {items.length === 0 && <li className="muted">Nothing reported yet.</li>}
        {items.map((item) => (
          <li key={item.key}>
            <time dateTime={item.at}>{formatTime(item.at)}</time> {item.node}
          </li>
        ))}
      </ol>
    </>
  );
}
