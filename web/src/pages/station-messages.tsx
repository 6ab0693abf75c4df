/** The station's recent OCPP messages (in memory on the CSMS), filterable, refreshed while open. */
import { useEffect, useState } from 'react';
import { useLoad, useSession } from '../context.tsx';
import { formatTime } from '../lib/format.ts';
import type { LoggedMessage } from '../lib/types.ts';

export function MessageLog({ id }: { id: string }) {
  const { api } = useSession();
  const [direction, setDirection] = useState('');
  const [action, setAction] = useState('');
  const [search, setSearch] = useState('');
  const [paused, setPaused] = useState(false);
  const log = useLoad(
    () => api.get<{ items: LoggedMessage[] }>(`/stations/${encodeURIComponent(id)}/messages`, { direction: direction || undefined, action: action || undefined, search: search || undefined, limit: 200 }),
    [api, id, direction, action, search],
  );
  useEffect(() => {
    if (paused) return;
    const timer = setInterval(log.reload, 2000);
    return () => clearInterval(timer);
  }, [paused, log.reload]);
  const items = log.data?.items ?? [];
  return (
    <section aria-label="Message log" data-testid="message-log">
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label>
          Direction{' '}
          <select value={direction} onChange={(e) => setDirection(e.target.value)} aria-label="Direction">
            <option value="">both</option>
            <option value="in">station → CSMS</option>
            <option value="out">CSMS → station</option>
          </select>
        </label>
        <label>
          Action <input value={action} onChange={(e) => setAction(e.target.value)} placeholder="e.g. StatusNotification" aria-label="Action" size={18} />
        </label>
        <label>
          Text <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search messages" size={14} />
        </label>
        <button type="button" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? '▶ Resume' : 'Pause'}
        </button>
        <span className="muted">{items.length} shown · kept in memory, newest first; secrets are masked</span>
      </form>
      {log.error && <p className="error">{log.error}</p>}
      <ol className="messages">
        {items.map((m) => (
          <li key={m.seq} className={`msg msg-${m.direction}`} data-testid="message" data-action={m.action ?? ''} data-direction={m.direction}>
            <details>
              <summary>
                <time dateTime={m.at}>{formatTime(m.at)}</time>{' '}
                <span className="dir" title={m.direction === 'in' ? 'from the station' : 'to the station'}>
                  {m.direction === 'in' ? '⬅ in' : '➡ out'}
                </span>{' '}
                <strong>{m.action ?? '?'}</strong> <span className="muted">{m.kind}</span>
              </summary>
              <pre>{m.raw ?? JSON.stringify(m.payload, null, 2)}</pre>
              <p className="muted">message id {m.messageId ?? '—'}</p>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
