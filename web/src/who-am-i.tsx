/**
 * After a page reload the tab still has its token but not the caller it
 * belongs to: ask GET /auth/me before showing anything, because what the
 * console shows depends on the caller's permissions. A refused token goes
 * back to sign-in; any other failure offers a retry.
 */
import { useEffect, useState } from 'react';
import { whoIs } from './auth.ts';
import { tokenProblem } from './lib/sign-in-problems.ts';
import type { Me } from './lib/types.ts';

export function WhoAmI({ token, onMe, onRefused, onSignOut }: { token: string; onMe(me: Me): void; onRefused(): void; onSignOut(): void }) {
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setError(null);
    void whoIs(token).then((result) => {
      if (cancelled) return;
      if (result.ok) onMe(result.value);
      else if (result.answer !== 'unreachable' && result.answer.status === 401) onRefused();
      else setError(tokenProblem(result.answer));
    });
    return () => {
      cancelled = true;
    };
  }, [token, attempt, onMe, onRefused]);
  return (
    <main className="signin">
      <div className="signin-box" aria-live="polite">
        <h1>⚡ Chargebridge console</h1>
        {error === null ? (
          <p>Loading your access…</p>
        ) : (
          <>
            <p className="error" role="alert">
              {error}
            </p>
            <p className="row">
              <button type="button" onClick={() => setAttempt((n) => n + 1)}>
                Try again
              </button>
              <button type="button" className="switch" onClick={onSignOut}>
                Sign out
              </button>
            </p>
          </>
        )}
      </div>
    </main>
  );
}
