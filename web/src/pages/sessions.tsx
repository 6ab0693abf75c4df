/** Sessions (transactions): filters on the server, paged, live while anything changes. */
import { useState, type FormEvent } from 'react';
import { useLiveEvents, useLoad, useSession, useThrottled } from '../context.tsx';
import { formatDuration, formatEnergy, formatTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { sessionMarkers } from '../lib/session-markers.ts';
import type { Page, Transaction } from '../lib/types.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { Pager } from '../components/pager.tsx';

const LIMIT = 50;

export function SessionsPage({ query }: { query: URLSearchParams }) {
  const { api } = useSession();
  const filter = {
    state: query.get('state') ?? '',
    stationId: query.get('stationId') ?? '',
    idToken: query.get('idToken') ?? '',
    from: query.get('from') ?? '',
  };
  const offset = Number(query.get('offset') ?? 0) || 0;
  const [form, setForm] = useState(filter);
  const list = useLoad(
    () =>
      api.get<Page<Transaction>>('/transactions', {
        state: filter.state || undefined,
        stationId: filter.stationId || undefined,
        idToken: filter.idToken || undefined,
        from: filter.from ? new Date(filter.from).toISOString() : undefined,
        limit: LIMIT,
        offset,
      }),
    [api, filter.state, filter.stationId, filter.idToken, filter.from, offset],
  );
  const reload = useThrottled(list.reload, 1500);
  useLiveEvents((event) => {
    if (event.type.startsWith('transaction.')) reload();
  });
  const go = (next: Record<string, string>) => {
    const params = new URLSearchParams(Object.entries(next).filter(([, v]) => v !== '' && v !== '0'));
    window.location.hash = `#/sessions${params.toString() ? `?${params}` : ''}`;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ ...form });
  };
  const total = list.data?.total ?? 0;
  return (
    <div className="page">
      <h1>Sessions</h1>
      <form className="toolbar" onSubmit={submit} role="search">
        <label>
          State{' '}
          <select value={form.state} onChange={(e) => setForm({ ...form, state: e.target.value })}>
            <option value="">all</option>
            <option value="active">running</option>
            <option value="completed">completed</option>
          </select>
        </label>
        <label>
          Station <input value={form.stationId} onChange={(e) => setForm({ ...form, stationId: e.target.value })} size={12} />
        </label>
        <label>
          Token <input value={form.idToken} onChange={(e) => setForm({ ...form, idToken: e.target.value })} size={12} />
        </label>
        <label>
          Started after <input type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <button type="submit">Apply</button>
      </form>
      {list.error && <p className="error">{list.error}</p>}
      <table className="table" data-testid="sessions-table">
        <caption className="sr-only">Sessions</caption>
        <thead>
          <tr>
            <th>Started</th>
            <th>State</th>
            <th>Station / EVSE</th>
            <th>Token</th>
            <th>Energy</th>
            <th className="hide-narrow">Duration</th>
            <th>Flags</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((t) => (
            <tr key={t.id} data-testid="session-row" data-station={t.stationId} data-state={t.state}>
              <td>
                <a href={href('session', t.id)}>{formatTime(t.startedAt)}</a>
              </td>
              <td>
                <StatusBadge status={t.state} />
              </td>
              <td>
                <a href={href('station', t.stationId)}>{t.stationId}</a> / {t.evseId ?? '?'}
              </td>
              <td>{t.idToken ?? '—'}</td>
              <td>{formatEnergy(t.energyWh)}</td>
              <td className="hide-narrow">{formatDuration(t.startedAt, t.stoppedAt)}</td>
              <td>
                <Flags tx={t} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager offset={offset} limit={LIMIT} total={total} empty="No sessions" back="← Newer" forward="Older →" onGo={(o) => go({ ...filter, offset: String(o) })} />
    </div>
  );
}

/** Offline / estimated / stuck and the other flags, as words with a warning sign. */
export function Flags({ tx }: { tx: Transaction }) {
  const markers = sessionMarkers(tx);
  if (markers.length === 0) return <span className="muted">—</span>;
  return (
    <span className="flags">
      {markers.map((m) => (
        <span key={m.key} className="flag" title={m.explanation}>
          ⚠ {m.label}
        </span>
      ))}
    </span>
  );
}
