/**
 * The station's audit trail (GET /audit?stationId=): who did what to it,
 * when, and whether it worked; newest first, older entries on demand, and
 * the same list as a CSV file. Shown only with audit:read.
 */
import { useEffect, useState } from 'react';
import { useLoad, useSession } from '../context.tsx';
import { CsvDownload } from '../components/csv-download.tsx';
import { actorKind, auditCsvName, describeAction, outcomeLook } from '../lib/audit.ts';
import { formatTime } from '../lib/format.ts';
import type { AuditEntry, AuditPage } from '../lib/types.ts';

const LIMIT = 50;
// The export asks for as many entries as the API gives in one answer (its default is only 100).
const CSV_LIMIT = 10_000;

export function AuditTrail({ id }: { id: string }) {
  const { api } = useSession();
  const first = useLoad(() => api.get<AuditPage>('/audit', { stationId: id, limit: LIMIT }), [api, id]);
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  // A fresh first page starts the list again: older pages fetched before belong to the previous view.
  useEffect(() => {
    setOlder([]);
    setOlderError(null);
    setNext(first.data?.nextBefore ?? null);
  }, [first.data]);

  const showOlder = async () => {
    if (!next) return;
    setBusy(true);
    try {
      const page = await api.get<AuditPage>('/audit', { stationId: id, limit: LIMIT, before: next });
      setOlder((list) => [...list, ...page.items]);
      setNext(page.nextBefore);
      setOlderError(null);
    } catch (e) {
      setOlderError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const seen = new Set<string>();
  const items = [...(first.data?.items ?? []), ...older].filter((e) => !seen.has(e.id) && seen.add(e.id));
  return (
    <section aria-labelledby="audit-title" data-testid="audit-trail">
      <div className="toolbar">
        <h2 id="audit-title">Audit trail</h2>
        <button type="button" onClick={first.reload}>
          Refresh
        </button>
        <CsvDownload path="/audit" query={{ stationId: id, limit: CSV_LIMIT }} fileName={() => auditCsvName(id, new Date())} testId="audit-download" />
      </div>
      {first.error && (
        <p className="error" role="alert">
          {first.error}
        </p>
      )}
      {first.data && items.length === 0 && <p className="muted">Nothing has been done to this station through the API yet.</p>}
      {items.length > 0 && (
        <table className="table" data-testid="audit-table">
          <caption className="sr-only">Audit trail of {id}, newest first</caption>
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Outcome</th>
              <th className="hide-narrow">Request</th>
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => (
              <AuditRow key={entry.id} entry={entry} />
            ))}
          </tbody>
        </table>
      )}
      {olderError && (
        <p className="error" role="alert">
          {olderError}
        </p>
      )}
      {next && (
        <p>
          <button type="button" onClick={() => void showOlder()} disabled={busy}>
            {busy ? 'Loading…' : 'Show older entries'}
          </button>
        </p>
      )}
    </section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const look = outcomeLook(entry.outcome);
  const words = describeAction(entry.action);
  return (
    <tr data-testid="audit-row" data-action={entry.action} data-status={entry.outcome.status ?? entry.outcome.code ?? ''}>
      <td>
        <time dateTime={entry.at}>{formatTime(entry.at)}</time>
      </td>
      <td>
        <strong>{entry.actor.label}</strong> <span className="muted">({actorKind(entry.actor)})</span>
      </td>
      <td>
        {words && <span>{words} </span>}
        <code className={words ? 'muted' : undefined}>{entry.action}</code>
      </td>
      <td>
        <span className={`badge tone-${look.tone}`}>
          <span aria-hidden="true" className="badge-symbol">
            {look.symbol}
          </span>
          {look.label}
        </span>
      </td>
      <td className="hide-narrow muted">{entry.requestId ?? '—'}</td>
    </tr>
  );
}

