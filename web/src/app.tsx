/** The console shell: sign-in gate, one live stream, navigation, hash routing. */
import { useEffect, useMemo, useState } from 'react';
import { Api } from './api.ts';
import { LiveStream } from './live.ts';
import { SessionContext, useLiveState } from './context.tsx';
import { parseRoute, href, type Route } from './lib/route.ts';
import { SignIn } from './pages/sign-in.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { StationPage } from './pages/station.tsx';
import { SessionsPage } from './pages/sessions.tsx';
import { SessionPage } from './pages/session.tsx';
import { TokensPage } from './pages/tokens.tsx';

// The token lives in memory and sessionStorage (gone when the tab closes); never in a URL or localStorage.
const TOKEN_KEY = 'chargebridge.token';

function useRoute(): Route {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

export function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const signIn = (value: string) => {
    sessionStorage.setItem(TOKEN_KEY, value);
    setToken(value);
  };
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
  };
  if (!token) return <SignIn onSignIn={signIn} />;
  return <Console token={token} signOut={signOut} />;
}

function Console({ token, signOut }: { token: string; signOut(): void }) {
  const session = useMemo(() => {
    const api = new Api(token);
    const live = new LiveStream(() => api.headers());
    return { api, live, signOut };
  }, [token, signOut]);
  useEffect(() => {
    session.live.start();
    const off = session.api.onUnauthorized(signOut);
    return () => {
      off();
      session.live.stop();
    };
  }, [session, signOut]);
  const route = useRoute();
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [route.page]);
  return (
    <SessionContext.Provider value={session}>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">⚡ Chargebridge</span>
        <nav aria-label="Main">
          <a href={href('overview')} aria-current={route.page === 'overview' || route.page === 'station' ? 'page' : undefined}>
            Network
          </a>
          <a href={href('sessions')} aria-current={route.page === 'sessions' || route.page === 'session' ? 'page' : undefined}>
            Sessions
          </a>
          <a href={href('tokens')} aria-current={route.page === 'tokens' ? 'page' : undefined}>
            Tokens
          </a>
        </nav>
        <LiveIndicator />
        <button type="button" className="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'overview' && <OverviewPage query={route.query} />}
        {route.page === 'station' && <StationPage key={route.id} id={route.id} tab={route.tab} />}
        {route.page === 'sessions' && <SessionsPage query={route.query} />}
        {route.page === 'session' && <SessionPage key={route.id} id={route.id} />}
        {route.page === 'tokens' && <TokensPage query={route.query} />}
      </main>
    </SessionContext.Provider>
  );
}

function LiveIndicator() {
  const state = useLiveState();
  const text = state === 'live' ? '● Live' : state === 'connecting' ? '… Connecting' : '○ Reconnecting';
  return (
    <span className={`live live-${state}`} role="status" aria-live="polite" data-testid="live-state">
      {text}
    </span>
  );
}
