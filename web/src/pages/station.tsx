/**
 * One station: identity, live EVSEs and sessions, actions, and tabs for
 * history, messages, commands and audit. Parts the caller's role does not
 * allow are not rendered at all (see lib/permissions.ts).
 */
import { useEffect, useState } from 'react';
import { useAllows, useLiveEvents, useLoad, useSession, useThrottled } from '../context.tsx';
import { stationTabsFor } from '../lib/permissions.ts';
import { applyLiveEvent, summarize } from '../lib/station-live.ts';
import { ago, formatEnergy, formatPower, formatTime, formatDuration } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import type { MeterSample, Page, Station, Transaction } from '../lib/types.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { StationActions } from './station-actions.tsx';
import { StatusTimeline } from './station-timeline.tsx';
import { MessageLog } from './station-messages.tsx';
import { CommandHistory } from './station-commands.tsx';
import { AuditTrail } from './station-audit.tsx';

const NO_SESSIONS: Page<Transaction> = { items: [], total: 0 };

export function StationPage({ id, tab }: { id: string; tab: string }) {
  const { api, me } = useSession();
  const allows = useAllows();
  const station = useLoad(() => api.get<Station>(`/stations/${encodeURIComponent(id)}`), [api, id]);
  const [live, setLive] = useState<Station | null>(null);
  // Running sessions need transactions:read; without it the EVSEs are shown without their session.
  const seesSessions = allows('viewSessions');
  const sessions = useLoad(
    () => (seesSessions ? api.get<Page<Transaction>>('/transactions', { stationId: id, state: 'active', limit: 20 }) : Promise.resolve(NO_SESSIONS)),
    [api, id, seesSessions],
  );
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
  const tabs = stationTabsFor(me);
  const open = (key: string) => tabs.some((t) => t.key === key);
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
        {allows('sendCommands') && <StationActions station={s} sessions={active} />}
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
        {tabs.map(({ key, label }) => (
          <a key={key} href={`#/stations/${encodeURIComponent(id)}/${key}`} aria-current={tab === key ? 'page' : undefined} data-testid={`station-tab-${key}`}>
            {label}
          </a>
        ))}
      </nav>
      {!tabs.some((t) => t.key === tab) && <p className="muted">This tab is not part of your access.</p>}
      {tab === 'status' && open('status') && <StatusTimeline id={id} />}
      {tab === 'messages' && open('messages') && <MessageLog id={id} />}
      {tab === 'commands' && open('commands') && <CommandHistory id={id} />}
      {tab === 'audit' && open('audit') && <AuditTrail id={id} />}
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
