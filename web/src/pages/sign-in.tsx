import { useState, type FormEvent } from 'react';
import { checkToken } from '../api.ts';

/** Sign-in with the API token. It is checked with one request, then kept for this tab only. */
export function SignIn({ onSignIn }: { onSignIn(token: string): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (await checkToken(token.trim())) onSignIn(token.trim());
      else setError('That token was refused. Use the admin token printed at start (or in data/admin-token).');
    } catch {
      setError('The CSMS cannot be reached.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">⚡ Chargebridge console</h1>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="current-password" autoFocus required value={token} onChange={(e) => setToken(e.target.value)} />
        <p className="hint">Kept in this browser tab only; it is sent in the Authorization header, never in a link.</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
