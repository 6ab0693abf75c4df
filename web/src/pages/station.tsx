/** One station: identity, live EVSEs and sessions, actions, and tabs for history, messages and commands. */
import { useEffect, useState } from 'react';
import { useLiveEvents, useLoad, useSession, useThrottled } from '../context.tsx';
import { applyLiveEvent, summarize } from '../lib/station-live.ts';
import { ago, formatEnergy, formatPower, formatTime, formatDuration } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import type { MeterSample, Page, Station, Transaction } from '../lib/types.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { StationActions } from './station-actions.tsx';
import { StatusTimeline } from './station-timeline.tsx';
import { MessageLog } from './station-messages.tsx';
import { CommandHistory } from './station-commands.tsx';

const TABS: Array<[string, string]> = [
  ['status', 'Status history'],
  ['messages', 'Message log'],
  ['commands', 'Commands'],
];

export function StationPage({ id, tab }: { id: string; tab: string }) {
  const { api } = useSession();
  const station = useLoad(() => api.get<Station>(`/stations/${encodeURIComponent(id)}`), [api, id]);
  const [live, setLive] = useState<Station | null>(null);
  const sessions = useLoad(() => api.get<Page<Transaction>>('/transactions', { stationId: id, state: 'active', limit: 20 }), [api, id]);
  const reloadSessions = useThrottled(sessions.reload, 1000);
  const reloadStation = useThrottled(station.reload, 1000);
  // Live events are applied on top of the last loaded view; a reload starts again from the server's view.
  useEffect(() => setLive(null), [station.data]);

  useLiveEvents((event) => {
    if (event.stationId !== id) return;
    if (event.type.startsWith('station.')) {
      setLive((prev) => {
        const base = prev ?? station.data;
        return base ? applyLiveEvent(base, event) : null;
      });
      if (event.type === 'station.booted') reloadStation();
    }
    if (event.type.startsWith('transaction.')) reloadSessions();
  });

  if (station.error && !station.data) return <div className="page"><h1>{id}</h1><p className="error">{station.error}</p></div>;
  const s = live ?? station.data;
  if (!s) return <div className="page"><h1>{id}</h1><p>Loading…</p></div>;
  const summary = summarize(s);
  const active = sessions.data?.items ?? [];
  return (
    <div className="page">
      <p className="crumbs">
        <a href={href('overview')}>Network</a> › {s.id}
      </p>
      <h1>
        {s.id} <StatusBadge status={summary} />
      </h1>
      <div className="grid2">
        <section aria-labelledby="identity" className="panel">
          <h2 id="identity">Identity</h2>
          <dl className="facts">
            <dt>Vendor</dt><dd>{s.vendor ?? '—'}</dd>
            <dt>Model</dt><dd>{s.model ?? '—'}</dd>
            <dt>Serial</dt><dd>{s.serialNumber ?? '—'}</dd>
            <dt>Firmware</dt><dd>{s.firmwareVersion ?? '—'}</dd>
            <dt>OCPP</dt><dd>{s.ocppVersion ?? '—'}</dd>
            <dt>Connection</dt><dd data-testid="station-connection">{s.connected ? `Online since ${formatTime(s.connectedAt)}` : `Offline since ${formatTime(s.disconnectedAt)}`}</dd>
            <dt>Last boot</dt><dd>{formatTime(s.lastBootAt)}{s.lastBootReason ? ` (${s.lastBootReason})` : ''}</dd>
            <dt>Last seen</dt><dd>{s.connected ? 'now' : ago(s.lastSeenAt)}</dd>
            <dt>Registration</dt><dd>{s.registrationStatus}</dd>
            <dt>Site</dt><dd>{s.siteId ?? '—'}</dd>
          </dl>
        </section>
        <StationActions station={s} sessions={active} />
      </div>

      <section aria-labelledby="evses" className="panel">
        <h2 id="evses">EVSEs and connectors</h2>
        {s.statusDetail && (
          <p>
            Station itself: <StatusBadge status={s.status} /> {s.statusDetail.errorCode && s.statusDetail.errorCode !== 'NoError' ? `error ${s.statusDetail.errorCode}` : ''}
          </p>
        )}
        <div className="evses">
          {s.evses.length === 0 && <p className="muted">No connector has reported yet.</p>}
          {s.evses.map((evse) => {
            const session = active.find((t) => t.evseId === evse.id);
            return (
              <div className="evse" key={evse.id} data-testid={`evse-${evse.id}`}>
                <h3>EVSE {evse.id}</h3>
                {evse.connectors.map((c) => (
                  <p key={c.id}>
                    Connector {c.id}: <StatusBadge status={c.status} />
                    {c.ocppStatus && c.ocppStatus !== c.status && <span className="muted"> ({c.ocppStatus})</span>}
                    {c.errorCode && c.errorCode !== 'NoError' && <span className="error"> {c.errorCode}</span>}
                  </p>
                ))}
                {session && <CurrentSession tx={session} />}
              </div>
            );
          })}
        </div>
      </section>

      <nav className="tabs" aria-label="Station details">
        {TABS.map(([key, label]) => (
          <a key={key} href={`#/stations/${encodeURIComponent(id)}/${key}`} aria-current={tab === key ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {tab === 'status' && <StatusTimeline id={id} />}
      {tab === 'messages' && <MessageLog id={id} />}
      {tab === 'commands' && <CommandHistory id={id} />}
    </div>
  );
}

/** The running session on an EVSE, with power from the latest meter value. */
function CurrentSession({ tx }: { tx: Transaction }) {
  const { api } = useSession();
  const power = useLoad(
    () => api.get<{ items: MeterSample[] }>(`/transactions/${encodeURIComponent(tx.id)}/meter-values`, { measurand: 'Power.Active.Import' }),
    [api, tx.id, tx.updatedAt],
  );
  const samples = power.data?.items.filter((m) => m.phase === null) ?? [];
  const last = samples.at(-1);
  return (
    <div className="session-box" data-testid="current-session">
      <p>
        <StatusBadge status="active" /> <a href={href('session', tx.id)}>Session</a> for <strong>{tx.idToken ?? 'unknown token'}</strong>
      </p>
      <p>
        <strong data-testid="session-energy">{formatEnergy(tx.energyWh)}</strong> in {formatDuration(tx.startedAt, null)} · power{' '}
        <strong>{formatPower(last?.value)}</strong>
        {tx.chargingState ? ` · ${tx.chargingState}` : ''}
      </p>
    </div>
  );
}
