/** The station's command queue and history, newest first, live. */
import { useLiveEvents, useLoad, useSession, useThrottled } from '../context.tsx';
import { formatTime } from '../lib/format.ts';
import type { Command, Page } from '../lib/types.ts';
import { StatusBadge } from '../components/status-badge.tsx';

export function CommandHistory({ id }: { id: string }) {
  const { api } = useSession();
  const list = useLoad(() => api.get<Page<Command>>(`/stations/${encodeURIComponent(id)}/commands`, { limit: 50 }), [api, id]);
  const reload = useThrottled(list.reload, 1000);
  useLiveEvents((event) => {
    if (event.stationId === id && event.type === 'command.finished') reload();
  });
  if (list.error) return <p className="error">{list.error}</p>;
  return (
    <table className="table">
      <caption className="sr-only">Commands</caption>
      <thead>
        <tr>
          <th>Created</th>
          <th>Command</th>
          <th>State</th>
          <th>Answer</th>
        </tr>
      </thead>
      <tbody>
        {(list.data?.items ?? []).map((c) => (
          <tr key={c.id}>
            <td>{formatTime(c.createdAt)}</td>
            <td>
              {c.type} <span className="muted">{JSON.stringify(c.params)}</span>
            </td>
            <td>
              <StatusBadge status={c.state} />
            </td>
            <td>{c.response?.status ?? c.error ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
