/** One session: facts, flags, cost placeholder, power/energy chart and the timeline of every message. */
import { useLiveEvents, useLoad, useSession, useThrottled } from '../context.tsx';
import { buildSeries } from '../lib/meter-chart.ts';
import { formatDuration, formatEnergy, formatTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { sessionMarkers } from '../lib/session-markers.ts';
import type { MeterSample, TimelineEntry, Transaction } from '../lib/types.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { MeterChart } from '../components/line-chart.tsx';

export function SessionPage({ id }: { id: string }) {
  const { api } = useSession();
  const path = `/transactions/${encodeURIComponent(id)}`;
  const tx = useLoad(() => api.get<Transaction & { timeline: TimelineEntry[] }>(path), [api, path]);
  const meter = useLoad(() => api.get<{ items: MeterSample[] }>(`${path}/meter-values`), [api, path]);
  const reload = useThrottled(() => {
    tx.reload();
    meter.reload();
  }, 1000);
  useLiveEvents((event) => {
    if (event.type.startsWith('transaction.') && 'transactionId' in event && event.transactionId === id) reload();
  });
  if (tx.error && !tx.data) return <div className="page"><h1>Session</h1><p className="error">{tx.error}</p></div>;
  const t = tx.data;
  if (!t) return <div className="page"><h1>Session</h1><p>Loading…</p></div>;
  const markers = sessionMarkers(t);
  return (
    <div className="page">
      <p className="crumbs">
        <a href={href('sessions')}>Sessions</a> › {t.id}
      </p>
      <h1>
        Session <StatusBadge status={t.state} />
      </h1>
      {markers.length > 0 && (
        <ul className="flag-list" aria-label="Flags" data-testid="session-flags">
          {markers.map((m) => (
            <li key={m.key} className="flag">
              ⚠ <strong>{m.label}</strong>: {m.explanation}
            </li>
          ))}
        </ul>
      )}
      <div className="grid2">
        <section className="panel" aria-labelledby="facts">
          <h2 id="facts">Facts</h2>
          <dl className="facts">
            <dt>Station</dt><dd><a href={href('station', t.stationId)}>{t.stationId}</a> (OCPP {t.ocppVersion})</dd>
            <dt>EVSE / connector</dt><dd>{t.evseId ?? '?'} / {t.connectorId ?? '?'}</dd>
            <dt>Token</dt><dd data-testid="session-token">{t.idToken ?? '—'} {t.idTokenType ? <span className="muted">({t.idTokenType})</span> : null}</dd>
            <dt>Started</dt><dd>{formatTime(t.startedAt)}</dd>
            <dt>Stopped</dt><dd>{formatTime(t.stoppedAt)}{t.stopReason ? ` (${t.stopReason})` : ''}</dd>
            <dt>Duration</dt><dd>{formatDuration(t.startedAt, t.stoppedAt)}</dd>
            <dt>Energy</dt><dd data-testid="session-energy">{formatEnergy(t.energyWh)}</dd>
            <dt>Meter</dt><dd>{t.meterStartWh ?? '?'} → {t.meterStopWh ?? t.lastMeterWh ?? '?'} Wh</dd>
            <dt>Charging state</dt><dd>{t.chargingState ?? '—'}</dd>
            <dt>Station’s id</dt><dd>{t.ocppTransactionId}</dd>
            <dt>Cost</dt><dd className="muted">not priced yet (tariffs and payments come later)</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="chart">
          <h2 id="chart">Power and energy</h2>
          {meter.data ? <MeterChart series={buildSeries(meter.data.items, t.meterStartWh)} /> : <p>Loading…</p>}
        </section>
      </div>
      <section className="panel" aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        <ol className="timeline" data-testid="session-timeline">
          {t.timeline.map((e, i) => (
            <li key={i}>
              <time dateTime={e.occurredAt}>{formatTime(e.occurredAt)}</time> <strong>{e.kind}</strong>
              {e.triggerReason && <span> · {e.triggerReason}</span>}
              {e.seqNo !== null && <span className="muted"> · seq {e.seqNo}</span>}
              {e.offline && <span className="flag"> ⚠ sent while offline (received {formatTime(e.receivedAt)})</span>}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
