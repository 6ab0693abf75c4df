/** What every page needs: the API client, the live stream and the caller (GET /auth/me) of the signed-in console. */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { Api } from './api.ts';
import type { LiveStream, LiveState } from './live.ts';
import { allows, type Feature } from './lib/permissions.ts';
import type { LiveEvent, Me } from './lib/types.ts';

export interface Session {
  api: Api;
  live: LiveStream;
  /** Who is signed in and what they may do; loaded once per sign-in (a role change shows after signing in again). */
  me: Me;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** `allows(feature)` for the signed-in caller: pages ask it before rendering an entry, tab, button or form. */
export function useAllows(): (feature: Feature) => boolean {
  const { me } = useSession();
  return (feature) => allows(me, feature);
}

/** Calls `listener` for every live event while the component is mounted (always the latest listener). */
export function useLiveEvents(listener: (event: LiveEvent) => void): void {
  const { live } = useSession();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => live.subscribe((event) => latest.current(event)), [live]);
}

export function useLiveState(): LiveState {
  const { live } = useSession();
  const [state, setState] = useState(live.state);
  useEffect(() => live.onState(setState), [live]);
  return state;
}

/** Loads data, reloads when `deps` change or `reload()` is called; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    load().then(
      (value) => {
        if (!cancelled) {
          setData(value);
          setError(null);
        }
      },
      (e: unknown) => {
        if (!cancelled) setError((e as Error).message);
      },
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}

/** Calls `fn` at most once per `ms` (trailing), for reloads triggered by bursts of events. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  };
}
