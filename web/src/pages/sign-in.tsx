/**
 * Sign-in: e-mail and password first (a user session, POST /auth/login);
 * an API token (the admin token printed at start, or an API key) second,
 * behind a switch. Either way the token is kept for this tab only by the
 * shell, and sent in the Authorization header, never in a link.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { login, whoIs } from '../auth.ts';
import { loginProblem, tokenProblem } from '../lib/sign-in-problems.ts';
import type { Me } from '../lib/types.ts';

type OnSignIn = (token: string, me?: Me) => void;

export function SignIn({ onSignIn, notice }: { onSignIn: OnSignIn; notice?: string | null }) {
  const [withToken, setWithToken] = useState(false);
  return (
    <main className="signin">
      <div className="signin-box">
        <h1 id="signin-title">⚡ Chargebridge console</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {withToken ? <TokenForm onSignIn={onSignIn} /> : <PasswordForm onSignIn={onSignIn} />}
        <button type="button" className="switch" onClick={() => setWithToken((t) => !t)} data-testid="signin-switch">
          {withToken ? 'Use e-mail and password instead' : 'Use an API token instead'}
        </button>
      </div>
    </main>
  );
}

function PasswordForm({ onSignIn }: { onSignIn: OnSignIn }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  // After a 429 the button stays off until Retry-After has passed: an earlier attempt would only be refused again.
  useEffect(() => {
    if (waitUntil === null) return;
    const timer = setTimeout(() => setWaitUntil(null), Math.max(0, waitUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [waitUntil]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await login(email.trim(), password);
      if (result.ok) return onSignIn(result.value.token);
      const problem = loginProblem(result.answer, Date.now());
      setError(problem.message);
      setWaitUntil(problem.waitUntil);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="signin-title" data-testid="signin-password">
      <label htmlFor="email">E-mail</label>
      <input id="email" name="email" type="email" autoComplete="username" autoFocus required value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      <Problem text={error} />
      <button type="submit" disabled={busy || waitUntil !== null || email.trim() === '' || password === ''}>
        {busy ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}

function TokenForm({ onSignIn }: { onSignIn: OnSignIn }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const value = token.trim();
      const result = await whoIs(value);
      if (result.ok) return onSignIn(value, result.value);
      setError(tokenProblem(result.answer));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="signin-title" data-testid="signin-token">
      <label htmlFor="token">API token</label>
      <input id="token" name="token" type="password" autoComplete="off" autoFocus required value={token} onChange={(e) => setToken(e.target.value)} />
      <p className="hint">The admin token printed at start (also in data/admin-token), or an API key. Kept in this browser tab only; sent in the Authorization header, never in a link.</p>
      <Problem text={error} />
      <button type="submit" disabled={busy || token.trim() === ''}>
        {busy ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}

function Problem({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
