/** The console shell: sign-in gate, who is signed in, one live stream, navigation by permission, hash routing. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Api } from './api.ts';
import { logout } from './auth.ts';
import { LiveStream } from './live.ts';
import { SessionContext } from './context.tsx';
import { hasServerSession } from './lib/identity.ts';
import { allows, landingHref, mayOpen, navFor } from './lib/permissions.ts';
import { parseRoute, type Route } from './lib/route.ts';
import type { Me } from './lib/types.ts';
import { TopBar } from './components/top-bar.tsx';
import { WhoAmI } from './who-am-i.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { StationPage } from './pages/station.tsx';
import { SessionsPage } from './pages/sessions.tsx';
import { SessionPage } from './pages/session.tsx';
import { TokensPage } from './pages/tokens.tsx';
import { MoneyPage } from './pages/money.tsx';

// The token (user session or API token) lives in memory and sessionStorage (gone when the tab closes); never in a URL or localStorage.
const TOKEN_KEY = 'chargebridge.token';
const ENDED = 'Your sign-in is no longer valid (it expired, was signed out elsewhere, or the token was revoked). Sign in again.';

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
  const [me, setMe] = useState<Me | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const signIn = useCallback((value: string, who?: Me) => {
    sessionStorage.setItem(TOKEN_KEY, value);
    setNotice(null);
    setMe(who ?? null);
    setToken(value);
  }, []);
  const signOut = useCallback((reason?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setNotice(reason ?? null);
    setMe(null);
    setToken(null);
  }, []);
  const refused = useCallback(() => signOut(ENDED), [signOut]);
  if (!token) return <SignIn onSignIn={signIn} notice={notice} />;
  if (!me) return <WhoAmI token={token} onMe={setMe} onRefused={refused} onSignOut={() => signOut()} />;
  return <Console token={token} me={me} signOut={signOut} />;
}

function Console({ token, me, signOut }: { token: string; me: Me; signOut(reason?: string): void }) {
  const session = useMemo(() => {
    const api = new Api(token);
    const live = new LiveStream(() => api.headers());
    return { api, live, me, signOut: () => signOut() };
  }, [token, me, signOut]);
  // The live stream needs stations:read; without it the stream would only collect 403s.
  const live = allows(me, 'viewStations');
  useEffect(() => {
    if (live) session.live.start();
    const off = session.api.onUnauthorized(() => signOut(ENDED));
    return () => {
      off();
      session.live.stop();
    };
  }, [session, signOut, live]);
  const route = useRoute();
  const allowed = mayOpen(me, route.page);
  const landing = landingHref(me);
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [route.page]);
  // The default page (Network) may not be this caller's: open the first one they may see instead.
  useEffect(() => {
    if (!allowed && route.page === 'overview' && landing) window.location.replace(landing);
  }, [allowed, route.page, landing]);
  const endSession = () => {
    // Only a user session exists on the server; an API token stays valid and is just forgotten here.
    if (hasServerSession(me)) void logout(token);
    signOut();
  };
  return (
    <SessionContext.Provider value={session}>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <TopBar me={me} page={route.page} live={live} onSignOut={endSession} />
      <main id="main" tabIndex={-1}>
        {!allowed && <NotAllowed me={me} />}
        {allowed && route.page === 'overview' && <OverviewPage query={route.query} />}
        {allowed && route.page === 'station' && <StationPage key={route.id} id={route.id} tab={route.tab} />}
        {allowed && route.page === 'sessions' && <SessionsPage query={route.query} />}
        {allowed && route.page === 'session' && <SessionPage key={route.id} id={route.id} />}
        {allowed && route.page === 'tokens' && <TokensPage query={route.query} />}
        {allowed && route.page === 'money' && <MoneyPage query={route.query} />}
      </main>
    </SessionContext.Provider>
  );
}

/** A page the caller's role does not include (an old bookmark, a shared link). */
function NotAllowed({ me }: { me: Me }) {
  const pages = navFor(me);
  return (
    <div className="page" data-testid="not-allowed">
      <h1>Not available to you</h1>
      <p>Your access does not include this page. Ask an owner or admin of your organisation if you need it.</p>
      {pages.length > 0 ? (
        <p>
          Open instead:{' '}
          {pages.map((p, i) => (
            <span key={p.href}>
              {i > 0 && ', '}
              <a href={p.href}>{p.label}</a>
            </span>
          ))}
        </p>
      ) : (
        <p>Your access includes no page of this console.</p>
      )}
    </div>
  );
}
