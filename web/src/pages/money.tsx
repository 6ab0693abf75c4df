/**
 * Money (billing:read): the reconciliation of a period — what is at stake per
 * kind and currency, then each discrepancy — and the latest CDRs below it.
 * The period lives in the URL (#/money?from=&to=, inclusive UTC days) so a
 * link to a day's findings can be shared; it defaults to yesterday.
 */
import { useState } from 'react';
import { useLoad, useSession } from '../context.tsx';
import { CsvDownload } from '../components/csv-download.tsx';
import { formatTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import {
  atStakeRows,
  cdrTotal,
  formatAmount,
  kindLabel,
  kwh,
  periodQuery,
  reconciliationCsvName,
  yesterdayUtc,
  type Cdr,
  type Reconciliation,
} from '../lib/money.ts';
import type { Page } from '../lib/types.ts';

const CDR_LIMIT = 50;

export function MoneyPage({ query }: { query: URLSearchParams }) {
  const { api } = useSession();
  const fallback = yesterdayUtc(Date.now());
  const fromDay = query.get('from') ?? fallback.from;
  const toDay = query.get('to') ?? fallback.to;
  const [form, setForm] = useState({ from: fromDay, to: toDay });
  const period = periodQuery(fromDay, toDay);
  const recon = useLoad(
    () => ('problem' in period ? Promise.reject(new Error(period.problem)) : api.get<Reconciliation>('/reconciliation', period)),
    [api, fromDay, toDay],
  );
  const cdrs = useLoad(() => api.get<Page<Cdr>>('/cdrs', { limit: CDR_LIMIT }), [api]);
  const rows = recon.data ? atStakeRows(recon.data.totals) : [];
  return (
    <div className="page">
      <h1>Money</h1>
      <form
        className="toolbar"
        aria-label="Period"
        onSubmit={(e) => {
          e.preventDefault();
          window.location.hash = href('money', { from: form.from, to: form.to });
        }}
      >
        <label>
          From <input type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} aria-label="From day (UTC)" />
        </label>
        <label>
          To <input type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} aria-label="To day (UTC, included)" />
        </label>
        <button type="submit">Reconcile</button>
        <span className="muted">UTC days, both included</span>
        {!('problem' in period) && <CsvDownload path="/reconciliation" query={period} fileName={() => reconciliationCsvName(fromDay, toDay)} testId="reconciliation-download" />}
      </form>
      {recon.error && (
        <p className="error" role="alert">
          {recon.error}
        </p>
      )}
      {recon.data && (
        <>
          <p className="muted" data-testid="reconciliation-summary">
            {recon.data.transactions.toLocaleString()} completed session{recon.data.transactions === 1 ? '' : 's'} examined,{' '}
            {recon.data.itemCount.toLocaleString()} discrepanc{recon.data.itemCount === 1 ? 'y' : 'ies'}
            {recon.data.gatewayChecked ? ', checked against the gateway' : ', the gateway not checked'}.
          </p>
          <h2>Money at stake</h2>
          {rows.length === 0 ? (
            <p className="ok">Nothing to reconcile in this period.</p>
          ) : (
            <table className="table" data-testid="at-stake">
              <caption className="sr-only">Money at stake per kind and currency</caption>
              <thead>
                <tr>
                  <th>Kind</th>
                  <th>Items</th>
                  <th>At stake</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.kind}/${r.currency ?? ''}`} data-testid="at-stake-row" data-kind={r.kind}>
                    <td>{kindLabel(r.kind)}</td>
                    <td>{r.count.toLocaleString()}</td>
                    <td>{formatAmount(r.amount, r.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Items recon={recon.data} />
        </>
      )}
      <h2>Latest CDRs</h2>
      {cdrs.error && <p className="error">{cdrs.error}</p>}
      <Cdrs items={cdrs.data?.items ?? []} />
    </div>
  );
}

function Items({ recon }: { recon: Reconciliation }) {
  if (recon.items.length === 0) return null;
  return (
    <>
      <h2>Items</h2>
      {recon.items.length < recon.itemCount && (
        <p className="muted">
          Showing the first {recon.items.length.toLocaleString()} of {recon.itemCount.toLocaleString()}; the CSV has the same page.
        </p>
      )}
      <table className="table" data-testid="reconciliation-items">
        <caption className="sr-only">Reconciliation items</caption>
        <thead>
          <tr>
            <th>Kind</th>
            <th>Transaction</th>
            <th>Station</th>
            <th>Amount</th>
            <th className="hide-narrow">Detail</th>
          </tr>
        </thead>
        <tbody>
          {recon.items.map((item, i) => (
            <tr key={`${item.kind}/${item.transactionId ?? item.holdId ?? i}/${i}`} data-testid="reconciliation-item" data-kind={item.kind} data-station={item.stationId ?? ''}>
              <td>{kindLabel(item.kind)}</td>
              <td>{item.transactionId ? <a href={href('session', item.transactionId)}>{item.transactionId}</a> : '—'}</td>
              <td>{item.stationId ? <a href={href('station', item.stationId)}>{item.stationId}</a> : '—'}</td>
              <td>{formatAmount(item.amount, item.currency, item.amountKnown)}</td>
              <td className="hide-narrow">{item.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Cdrs({ items }: { items: Cdr[] }) {
  return (
    <table className="table" data-testid="cdr-table">
      <caption className="sr-only">Latest CDRs, newest stop first</caption>
      <thead>
        <tr>
          <th>Stopped</th>
          <th>Station</th>
          <th>Transaction</th>
          <th>Energy kWh</th>
          <th>Total incl. tax</th>
          <th>Kind</th>
          <th className="hide-narrow">Estimated</th>
        </tr>
      </thead>
      <tbody>
        {items.length === 0 && (
          <tr>
            <td colSpan={7} className="muted">
              No CDRs yet
            </td>
          </tr>
        )}
        {items.map((cdr) => (
          <tr key={cdr.id} data-testid="cdr-row" data-station={cdr.stationId} data-kind={cdr.kind}>
            <td>{formatTime(cdr.stoppedAt)}</td>
            <td>{cdr.stationId}</td>
            <td>
              <a href={href('session', cdr.transactionId)}>{cdr.transactionId}</a>
            </td>
            <td>{kwh(cdr.energyWh)}</td>
            <td data-testid="cdr-total">{cdrTotal(cdr)}</td>
            {/* A credit cancels an earlier debit (a correction): marked in words, not only by its negative figures. */}
            <td>{cdr.kind === 'credit' ? <span className="flag">credit (correction)</span> : 'debit'}</td>
            <td className="hide-narrow">{cdr.estimated ? <span className="flag">estimated</span> : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

