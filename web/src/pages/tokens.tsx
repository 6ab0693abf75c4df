/** Id tokens: list and search (server-side); with tokens:write also create, block / unblock, import CSV. */
import { useState, type FormEvent } from 'react';
import { useAllows, useLoad, useSession } from '../context.tsx';
import { formatTime } from '../lib/format.ts';
import type { Page, Token } from '../lib/types.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { Pager } from '../components/pager.tsx';

const TYPES = ['ISO14443', 'ISO15693', 'eMAID', 'Central', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization'];
const LIMIT = 100;

export function TokensPage({ query }: { query: URLSearchParams }) {
  const { api } = useSession();
  const edits = useAllows()('editTokens');
  const search = query.get('q') ?? '';
  const status = query.get('status') ?? '';
  const offset = Number(query.get('offset') ?? 0) || 0;
  const [searchText, setSearchText] = useState(search);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const list = useLoad(() => api.get<Page<Token>>('/tokens', { search: search || undefined, status: status || undefined, limit: LIMIT, offset }), [api, search, status, offset]);
  const go = (next: Record<string, string>) => {
    const params = new URLSearchParams(Object.entries({ q: search, status, ...next }).filter(([, v]) => v !== '' && v !== '0'));
    window.location.hash = `#/tokens${params.toString() ? `?${params}` : ''}`;
  };
  const report = (text: string, error = false) => setMessage({ text, error });

  const setStatus = async (token: Token, next: 'Accepted' | 'Blocked') => {
    try {
      await api.request('PATCH', `/tokens/${encodeURIComponent(token.idToken)}`, { status: next });
      report(`${token.idToken} is now ${next === 'Blocked' ? 'blocked' : 'accepted'}.`);
      list.reload();
    } catch (e) {
      report((e as Error).message, true);
    }
  };
  const total = list.data?.total ?? 0;
  return (
    <div className="page">
      <h1>Tokens</h1>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: searchText.trim(), offset: '' });
        }}
      >
        <label>
          Search <input type="search" value={searchText} onChange={(e) => setSearchText(e.target.value)} aria-label="Search tokens" />
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => go({ status: e.target.value, offset: '' })} aria-label="Token status">
            <option value="">all</option>
            <option>Accepted</option>
            <option>Blocked</option>
            <option>Invalid</option>
          </select>
        </label>
        <button type="submit">Search</button>
        <span className="muted">{total.toLocaleString()} token{total === 1 ? '' : 's'}</span>
      </form>
      {message && (
        <p className={message.error ? 'error' : 'ok'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {edits && (
        <div className="grid2">
          <CreateToken onDone={(text, error) => (report(text, error), list.reload())} />
          <ImportTokens onDone={(text, error) => (report(text, error), list.reload())} />
        </div>
      )}
      {list.error && <p className="error">{list.error}</p>}
      <table className="table" data-testid="tokens-table">
        <caption className="sr-only">Tokens</caption>
        <thead>
          <tr>
            <th>Token</th>
            <th>Type</th>
            <th>Status</th>
            <th className="hide-narrow">Group</th>
            <th className="hide-narrow">Expires</th>
            <th className="hide-narrow">Local list</th>
            {edits && <th>Action</th>}
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((t) => (
            <tr key={t.idToken} data-testid="token-row" data-token={t.idToken} data-status={t.status}>
              <td>{t.idToken}</td>
              <td>{t.type}</td>
              <td>
                <StatusBadge status={t.status} />
              </td>
              <td className="hide-narrow">{t.groupId ?? '—'}</td>
              <td className="hide-narrow">{t.expiresAt ? formatTime(t.expiresAt) : 'never'}</td>
              <td className="hide-narrow">{t.inLocalList ? 'yes' : 'no'}</td>
              {edits && <BlockCell token={t} onSet={(next) => void setStatus(t, next)} />}
            </tr>
          ))}
        </tbody>
      </table>
      <Pager offset={offset} limit={LIMIT} total={total} empty="No tokens" onGo={(o) => go({ offset: String(o) })} />
    </div>
  );
}

function BlockCell({ token, onSet }: { token: Token; onSet(next: 'Accepted' | 'Blocked'): void }) {
  return (
    <td>
      {token.status === 'Blocked' ? (
        <button type="button" onClick={() => onSet('Accepted')} aria-label={`Unblock ${token.idToken}`}>
          Unblock
        </button>
      ) : (
        <button type="button" className="danger" onClick={() => onSet('Blocked')} aria-label={`Block ${token.idToken}`}>
          Block
        </button>
      )}
    </td>
  );
}

function CreateToken({ onDone }: { onDone(text: string, error?: boolean): void }) {
  const { api } = useSession();
  const [form, setForm] = useState({ idToken: '', type: 'ISO14443', status: 'Accepted', groupId: '', expiresAt: '' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.request('POST', '/tokens', {
        idToken: form.idToken.trim(),
        type: form.type,
        status: form.status,
        ...(form.groupId ? { groupId: form.groupId } : {}),
        ...(form.expiresAt ? { expiresAt: new Date(form.expiresAt).toISOString() } : {}),
      });
      onDone(`Token ${form.idToken.trim()} created.`);
      setForm({ ...form, idToken: '' });
    } catch (err) {
      onDone((err as Error).message, true);
    }
  };
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="create-token">
      <h2 id="create-token">New token</h2>
      <label>
        Id token <input name="idToken" required maxLength={255} value={form.idToken} onChange={(e) => setForm({ ...form, idToken: e.target.value })} />
      </label>
      <label>
        Type
        <select value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value })}>
          <option>Accepted</option>
          <option>Blocked</option>
        </select>
      </label>
      <label>
        Group <input value={form.groupId} onChange={(e) => setForm({ ...form, groupId: e.target.value })} />
      </label>
      <label>
        Expires <input type="datetime-local" value={form.expiresAt} onChange={(e) => setForm({ ...form, expiresAt: e.target.value })} />
      </label>
      <button type="submit">Create</button>
    </form>
  );
}

function ImportTokens({ onDone }: { onDone(text: string, error?: boolean): void }) {
  const { api } = useSession();
  const [csv, setCsv] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const result = await api.request<{ created: number; updated: number }>('POST', '/tokens/import', csv, 'text/csv');
      onDone(`Imported: ${result.created} created, ${result.updated} updated.`);
      setCsv('');
    } catch (err) {
      onDone(`Import refused, nothing written: ${(err as Error).message}`, true);
    }
  };
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="import-tokens">
      <h2 id="import-tokens">Import CSV</h2>
      <label>
        File{' '}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) setCsv(await file.text());
          }}
        />
      </label>
      <label>
        or paste (header: idToken,type,status,expiresAt,groupId)
        <textarea name="csv" rows={4} value={csv} onChange={(e) => setCsv(e.target.value)} placeholder={'idToken,type,status\nRFID-0001,ISO14443,Accepted'} />
      </label>
      <button type="submit" disabled={csv.trim() === ''}>
        Import
      </button>
    </form>
  );
}
