/**
 * The station's actions in one form: pick an action, fill its few fields,
 * send. Each command sent from here is listed with its lifecycle state
 * (queued → sent → answered), kept current by the live stream and a poll.
 * Rendered only for callers with commands:write (the station page decides).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLiveEvents, useSession } from '../context.tsx';
import { buildCommand, type ActionInput, type ActionType } from '../lib/command-form.ts';
import type { Command, Station, Transaction } from '../lib/types.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatTime } from '../lib/format.ts';

const ACTIONS: Array<[ActionType, string]> = [
  ['start', 'Remote start'],
  ['stop', 'Remote stop'],
  ['unlock', 'Unlock connector'],
  ['reset', 'Reset'],
  ['changeAvailability', 'Change availability'],
  ['trigger', 'Trigger message'],
  ['configuration', 'Get / set configuration'],
];
const TRIGGERS = ['status', 'heartbeat', 'boot', 'meterValues', 'transaction', 'firmwareStatus', 'logStatus'];
const FINAL = new Set(['accepted', 'rejected', 'failed', 'expired']);

export function StationActions({ station, sessions }: { station: Station; sessions: Transaction[] }) {
  const { api } = useSession();
  const [input, setInput] = useState<ActionInput>({ type: 'start', evseId: '1', mode: 'soft', operational: 'false', message: 'status' });
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<Command[]>([]);
  const polls = useRef(new Map<string, ReturnType<typeof setInterval>>());
  useEffect(() => () => polls.current.forEach(clearInterval), []);

  const update = (command: Command) => {
    setSent((list) => list.map((c) => (c.id === command.id ? command : c)));
    if (FINAL.has(command.state)) {
      clearInterval(polls.current.get(command.id));
      polls.current.delete(command.id);
    }
  };
  const refresh = (commandId: string) => api.get<Command>(`/commands/${commandId}`).then(update, () => undefined);
  useLiveEvents((event) => {
    if (event.type === 'command.finished' && polls.current.has(event.commandId)) void refresh(event.commandId);
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const built = buildCommand({ ...input, transactionId: input.transactionId ?? sessions[0]?.id });
    if (!built.ok) return setError(built.error);
    setError(null);
    try {
      const command = await api.request<Command>('POST', `/stations/${encodeURIComponent(station.id)}/commands`, built.body);
      setSent((list) => [command, ...list].slice(0, 8));
      if (!FINAL.has(command.state)) polls.current.set(command.id, setInterval(() => void refresh(command.id), 1000));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const set = (field: keyof ActionInput) => (e: { target: { value: string } }) => setInput((i) => ({ ...i, [field]: e.target.value }));
  const t = input.type;
  return (
    <section aria-labelledby="actions" className="panel" data-testid="station-actions">
      <h2 id="actions">Actions</h2>
      {!station.connected && <p className="muted">The station is offline: commands wait in its queue until it returns or expires.</p>}
      <form onSubmit={submit} className="action-form">
        <label>
          Action
          <select value={t} onChange={set('type')} name="action">
            {ACTIONS.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {t === 'start' && (
          <label>
            Id token <input name="idToken" value={input.idToken ?? ''} onChange={set('idToken')} required />
          </label>
        )}
        {t === 'stop' && (
          <label>
            Session
            <select name="transactionId" value={input.transactionId ?? sessions[0]?.id ?? ''} onChange={set('transactionId')}>
              {sessions.length === 0 && <option value="">no running session</option>}
              {sessions.map((s) => (
                <option key={s.id} value={s.id}>
                  EVSE {s.evseId ?? '?'} · {s.idToken ?? 'no token'}
                </option>
              ))}
            </select>
          </label>
        )}
        {(t === 'start' || t === 'unlock' || t === 'changeAvailability' || t === 'trigger') && (
          <label>
            EVSE <input name="evseId" inputMode="numeric" value={input.evseId ?? ''} onChange={set('evseId')} size={3} placeholder={t === 'changeAvailability' || t === 'trigger' ? 'all' : ''} />
          </label>
        )}
        {t === 'reset' && (
          <label>
            Mode
            <select name="mode" value={input.mode} onChange={set('mode')}>
              <option value="soft">Soft</option>
              <option value="hard">Hard</option>
              <option value="onIdle">When idle</option>
            </select>
          </label>
        )}
        {t === 'changeAvailability' && (
          <label>
            Set
            <select name="operational" value={input.operational} onChange={set('operational')}>
              <option value="false">Inoperative</option>
              <option value="true">Operative</option>
            </select>
          </label>
        )}
        {t === 'trigger' && (
          <label>
            Message
            <select name="message" value={input.message} onChange={set('message')}>
              {TRIGGERS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
        )}
        {t === 'configuration' && (
          <>
            <label>
              Key(s){' '}
              <input name="key" value={input.key ?? ''} onChange={set('key')} placeholder={station.ocppVersion === '1.6' ? 'HeartbeatInterval' : 'OCPPCommCtrlr/HeartbeatInterval'} />
            </label>
            <label>
              New value <input name="value" value={input.value ?? ''} onChange={set('value')} placeholder="empty: read" />
            </label>
          </>
        )}
        <button type="submit" data-testid="station-action-send">
          Send
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {sent.length > 0 && (
        <ul className="commands" aria-label="Commands sent from this page" aria-live="polite">
          {sent.map((c) => (
            <li key={c.id} data-testid="command" data-state={c.state}>
              <strong>{c.type}</strong> <StatusBadge status={c.state} /> <span className="muted">{formatTime(c.createdAt)}</span>
              {c.response && <span> · station said <strong>{c.response.status}</strong></span>}
              {c.error && <span className="error"> · {c.error}</span>}
              {Array.isArray(c.response?.configuration) && <ConfigTable rows={c.response.configuration as Array<{ key: string; value: string | null; readonly: boolean | null }>} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ConfigTable({ rows }: { rows: Array<{ key: string; value: string | null; readonly: boolean | null }> }) {
  return (
    <table className="table compact">
      <thead>
        <tr>
          <th>Key</th>
          <th>Value</th>
          <th>Read-only</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.key}</td>
            <td>{r.value ?? '—'}</td>
            <td>{r.readonly === null ? '?' : r.readonly ? 'yes' : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
