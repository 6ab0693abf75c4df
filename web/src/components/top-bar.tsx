/** The console's top bar: the pages the caller may open, the live state, who is signed in, and sign-out. */
import { useLiveState } from '../context.tsx';
import { roleLabel, scopeLabel, whoLabel } from '../lib/identity.ts';
import { navFor } from '../lib/permissions.ts';
import type { Route } from '../lib/route.ts';
import type { Me } from '../lib/types.ts';

export function TopBar({ me, page, live, onSignOut }: { me: Me; page: Route['page']; live: boolean; onSignOut(): void }) {
  return (
    <header className="topbar">
      <span className="brand">⚡ Chargebridge</span>
      <nav aria-label="Main">
        {navFor(me).map((entry) => (
          <a key={entry.href} href={entry.href} aria-current={entry.pages.includes(page) ? 'page' : undefined}>
            {entry.label}
          </a>
        ))}
      </nav>
      {live && <LiveIndicator />}
      <p className="who" data-testid="signed-in-as">
        <span className="sr-only">Signed in as </span>
        <strong data-testid="signed-in-who">{whoLabel(me)}</strong>
        <span aria-hidden="true"> · </span>
        <span className="sr-only">, role </span>
        <span data-testid="signed-in-role">{roleLabel(me)}</span>
        <span aria-hidden="true"> · </span>
        <span className="sr-only">, access to </span>
        <span data-testid="signed-in-scope">{scopeLabel(me)}</span>
      </p>
      <button type="button" className="link" onClick={onSignOut} data-testid="sign-out">
        Sign out
      </button>
    </header>
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
