/**
 * Sign-in: e-mail and password first (a user session, POST /auth/login);
 * an API token (the admin token printed at start, or an API key) second,
 * behind a switch; single sign-on at the organisation's OpenID Connect
 * provider third (the browser goes there and comes back with a one-time
 * ticket, which sso.ts trades for a session). Either way the token is kept
 * for this tab only by the shell, and sent in the Authorization header,
 * never in a link.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { login, whoIs } from '../auth.ts';
import { ssoRedemption, ssoSettled, ssoStart } from '../sso.ts';
import { loginProblem, tokenProblem } from '../lib/sign-in-problems.ts';
import { normalizeOrganisation, returnPathOf, ssoProblem } from '../lib/sso.ts';
import type { Me } from '../lib/types.ts';

type OnSignIn = (token: string, me?: Me) => void;
type Mode = 'password' | 'token' | 'sso';

export function SignIn({ onSignIn, notice }: { onSignIn: OnSignIn; notice?: string | null }) {
  const [mode, setMode] = useState<Mode>('password');
  const [redeeming, setRedeeming] = useState(() => ssoRedemption() !== null);
  const [ssoError, setSsoError] = useState<string | null>(null);
  // Back from the provider: trade the ticket for a session (once; the ticket already left the address bar).
  useEffect(() => {
    const redemption = ssoRedemption();
    if (!redemption) return;
    let cancelled = false;
    void redemption.then((result) => {
      if (cancelled) return;
      ssoSettled();
      if (result.ok) return onSignIn(result.value.token);
      setRedeeming(false);
      setSsoError(ssoProblem(result.answer));
      setMode('sso');
    });
    return () => {
      cancelled = true;
    };
  }, [onSignIn]);
  if (redeeming) {
    return (
      <main className="signin">
        <div className="signin-box" aria-live="polite">
          <h1>⚡ Chargebridge console</h1>
          <p role="status">Completing single sign-on…</p>
        </div>
      </main>
    );
  }
  return (
    <main className="signin">
      <div className="signin-box">
        <h1 id="signin-title">⚡ Chargebridge console</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {mode === 'password' && <PasswordForm onSignIn={onSignIn} />}
        {mode === 'token' && <TokenForm onSignIn={onSignIn} />}
        {mode === 'sso' && <SsoForm initialError={ssoError} />}
        <button type="button" className="switch" onClick={() => setMode((m) => (m === 'password' ? 'token' : 'password'))} data-testid="signin-switch">
          {mode === 'password' ? 'Use an API token instead' : 'Use e-mail and password instead'}
        </button>
        {mode !== 'sso' && (
          <button type="button" className="switch" onClick={() => setMode('sso')} data-testid="signin-sso-switch">
            Use single sign-on instead
          </button>
        )}
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

/** The organisation is remembered in this browser (it is no secret), so the next sign-in is one click. */
const ORGANISATION_KEY = 'chargebridge.sso-organisation';

function SsoForm({ initialError }: { initialError: string | null }) {
  const [organisation, setOrganisation] = useState(() => localStorage.getItem(ORGANISATION_KEY) ?? '');
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = normalizeOrganisation(organisation);
    if (id === '') return;
    localStorage.setItem(ORGANISATION_KEY, id);
    setBusy(true);
    // The CSMS answers with a redirect to the provider's sign-in page; the provider sends the browser back here.
    window.location.assign(ssoStart(id, returnPathOf(window.location.hash)));
  };
  return (
    <form onSubmit={submit} aria-labelledby="sso-title" data-testid="signin-sso">
      <h2 id="sso-title">Sign in with single sign-on</h2>
      <label htmlFor="organisation">Organisation</label>
      <input
        id="organisation"
        name="organisation"
        type="text"
        autoComplete="organization"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        required
        value={organisation}
        onChange={(e) => setOrganisation(e.target.value)}
      />
      <p className="hint">The organisation id your administrator gave you (for example acme). You sign in at your organisation&apos;s identity provider, then come back here.</p>
      <Problem text={initialError} />
      <button type="submit" disabled={busy || normalizeOrganisation(organisation) === ''}>
        {busy ? 'Opening your provider…' : 'Continue'}
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
