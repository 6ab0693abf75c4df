/**
 * Network overview: counts, then every station in a virtual list that is
 * paged, filtered and searched on the server, with statuses kept live by the
 * event stream.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLiveEvents, useLoad, useSession, useThrottled } from '../context.tsx';
import { PagedRows } from '../lib/paged-rows.ts';
import { applyLiveEvent, summarize } from '../lib/station-live.ts';
import { statusLook } from '../lib/status.ts';
import { ago, formatEnergy } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import type { Overview, Page, Station } from '../lib/types.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { VirtualList } from '../components/virtual-list.tsx';

const FILTERS: Record<string, { label: string; query: Record<string, string> }> = {
  all: { label: 'All stations', query: {} },
  online: { label: 'Online', query: { connected: 'true' } },
  offline: { label: 'Offline', query: { connected: 'false' } },
  faulted: { label: 'Faulted', query: { status: 'Faulted' } },
  charging: { label: 'Charging / in use', query: { status: 'Occupied', connected: 'true' } },
  available: { label: 'With a free connector', query: { status: 'Available', connected: 'true' } },
  unavailable: { label: 'Unavailable', query: { status: 'Unavailable' } },
};
const PAGE = 100;
const ROW = 44;

export function OverviewPage({ query }: { query: URLSearchParams }) {
  const { api } = useSession();
  const filter = FILTERS[query.get('filter') ?? 'all'] ? (query.get('filter') ?? 'all') : 'all';
  const search = query.get('q') ?? '';
  const [searchText, setSearchText] = useState(search);
  const overview = useLoad(() => api.get<Overview>('/overview'), [api]);
  const reloadCounts = useThrottled(overview.reload, 1000);

  const rows = useMemo(() => new PagedRows<Station>(PAGE), []);
  const [, setVersion] = useState(0);
  const redraw = useCallback(() => setVersion((v) => v + 1), []);
  const range = useRef({ start: 0, end: 40 });

  const setQuery = (next: { filter?: string; q?: string }) => {
    const params = new URLSearchParams({ filter: next.filter ?? filter, q: next.q ?? search });
    if (params.get('filter') === 'all') params.delete('filter');
    if (!params.get('q')) params.delete('q');
    const text = params.toString();
    window.location.hash = text ? `#/?${text}` : '#/';
  };

  const fetchRange = useCallback(
    (start: number, end: number) => {
      range.current = { start, end };
      for (const request of rows.claim(start, end)) {
        const generation = rows.generation;
        api.get<Page<Station>>('/stations', { ...FILTERS[filter]?.query, search: search || undefined, limit: request.limit, offset: request.offset }).then(
          (page) => {
            if (rows.fill(request.page, page.items, page.total, generation)) {
              redraw();
              // The total changed and other pages were dropped: fetch what is on screen again.
              fetchAgain.current();
            }
          },
          () => rows.failed(request.page, generation),
        );
      }
    },
    [api, rows, filter, search, redraw],
  );
  const fetchAgain = useRef(() => {});
  fetchAgain.current = () => fetchRange(range.current.start, range.current.end);

  useEffect(() => {
    rows.reset();
    redraw();
    fetchRange(range.current.start, range.current.end);
  }, [rows, fetchRange, redraw]);
  useEffect(() => setSearchText(search), [search]);

  // Refetch the rows on screen without blanking them: membership of a filtered list changes live.
  const refreshList = useThrottled(() => {
    rows.refresh();
    fetchRange(range.current.start, range.current.end);
  }, 1500);
  const filtered = filter !== 'all' || search !== '';

  useLiveEvents((event) => {
    if (event.type.startsWith('station.') || event.type.startsWith('transaction.')) reloadCounts();
    if (!event.type.startsWith('station.')) return;
    const found = rows.patch(event.stationId, (s) => applyLiveEvent(s, event));
    if (found) redraw();
    // A filtered list may gain or lose this station; an unfiltered one gains a station it has never seen.
    if (filtered || (!found && event.type === 'station.connected')) refreshList();
  });

  const total = rows.total ?? 0;
  const o = overview.data;
  return (
    <div className="page">
      <h1>Network</h1>
      <section aria-label="Network at a glance" className="cards">
        <Card title="Stations" testId="count-stations">
          <Count label="online" value={o?.stations.online} status="Online" />
          <Count label="offline" value={o?.stations.offline} status="Offline" />
          <Count label="faulted" value={o?.stations.faulted} status="Faulted" />
        </Card>
        <Card title="Connectors" testId="count-connectors">
          <Count label="available" value={o?.connectors.available} status="Available" />
          <Count label="charging" value={o?.connectors.charging} status="Charging" />
          <Count label="plugged in" value={o?.connectors.occupied} status="Occupied" />
          <Count label="unavailable" value={o ? o.connectors.unavailable + o.connectors.faulted : undefined} status="Unavailable" />
        </Card>
        <Card title="Sessions" testId="count-sessions">
          <Count label="running" value={o?.sessions.running} status="active" />
          <div className="count">
            <strong>{formatEnergy(o?.energy.todayWh)}</strong> <span>energy today</span>
          </div>
        </Card>
      </section>
      {overview.error && <p className="error">Overview: {overview.error}</p>}

      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ q: searchText.trim() });
        }}
      >
        <label>
          Show{' '}
          <select value={filter} onChange={(e) => setQuery({ filter: e.target.value })} aria-label="Filter stations">
            {Object.entries(FILTERS).map(([key, f]) => (
              <option key={key} value={key}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search{' '}
          <input type="search" value={searchText} placeholder="id, vendor, model, serial" onChange={(e) => setSearchText(e.target.value)} aria-label="Search stations" />
        </label>
        <button type="submit">Search</button>
        <span className="muted" data-testid="station-total" aria-live="polite">
          {rows.total === null ? 'Loading…' : `${total.toLocaleString()} station${total === 1 ? '' : 's'}`}
        </span>
      </form>

      <div className="station-head" aria-hidden="true">
        <span>Station</span>
        <span>Status</span>
        <span>Connectors</span>
        <span className="hide-narrow">Vendor / model</span>
        <span className="hide-narrow">OCPP</span>
        <span>Last seen</span>
      </div>
      <VirtualList
        total={total}
        rowHeight={ROW}
        height="calc(100vh - 380px)"
        label="Stations"
        onRange={fetchRange}
        onOpen={(i) => {
          const s = rows.row(i);
          if (s) window.location.hash = href('station', s.id);
        }}
        renderRow={(i) => <StationRow station={rows.row(i)} />}
      />
    </div>
  );
}

function StationRow({ station }: { station: Station | undefined }) {
  if (!station) return <div className="station-row loading">…</div>;
  const summary = summarize(station);
  return (
    <div className="station-row" data-testid="station-row" data-station={station.id} data-status={summary}>
      <a href={href('station', station.id)} tabIndex={-1}>
        {station.id}
      </a>
      <StatusBadge status={summary} />
      <span className="connectors">
        {station.evses.flatMap((e) =>
          e.connectors.map((c) => {
            const look = statusLook(c.status);
            return (
              <span key={`${e.id}-${c.id}`} className={`dot tone-${look.tone}`} title={`EVSE ${e.id} connector ${c.id}: ${look.label}`}>
                {e.id}
                <span aria-hidden="true">{look.symbol}</span>
                <span className="sr-only">{look.label}</span>
              </span>
            );
          }),
        )}
      </span>
      <span className="hide-narrow">{[station.vendor, station.model].filter(Boolean).join(' ') || '—'}</span>
      <span className="hide-narrow">{station.ocppVersion ?? '—'}</span>
      <span>{station.connected ? 'now' : ago(station.lastSeenAt)}</span>
    </div>
  );
}

function Card({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <div className="card" data-testid={testId}>
      <h2>{title}</h2>
      <div className="counts">{children}</div>
    </div>
  );
}

function Count({ label, value, status }: { label: string; value: number | undefined; status: string }) {
  const look = statusLook(status);
  return (
    <div className={`count tone-${look.tone}`} data-testid={`count-${label}`}>
      <strong>{value === undefined ? '…' : value.toLocaleString()}</strong>{' '}
      <span>
        <span aria-hidden="true">{look.symbol} </span>
        {label}
      </span>
    </div>
  );
}
