/**
 * Routes live in the URL hash (#/stations/CP-1), so the server serves one
 * index.html and needs no fallback route; nothing secret is ever put there.
 */

export type Route =
  | { page: 'overview'; query: URLSearchParams }
  | { page: 'station'; id: string; tab: string; query: URLSearchParams }
  | { page: 'sessions'; query: URLSearchParams }
  | { page: 'session'; id: string; query: URLSearchParams }
  | { page: 'tokens'; query: URLSearchParams }
  | { page: 'money'; query: URLSearchParams };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const [pathname = '', search = ''] = path.split('?');
  const query = new URLSearchParams(search);
  const parts = pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  if (parts[0] === 'stations' && parts[1]) return { page: 'station', id: parts[1], tab: parts[2] ?? 'status', query };
  if (parts[0] === 'sessions' && parts[1]) return { page: 'session', id: parts[1], query };
  if (parts[0] === 'sessions') return { page: 'sessions', query };
  if (parts[0] === 'tokens') return { page: 'tokens', query };
  if (parts[0] === 'money') return { page: 'money', query };
  return { page: 'overview', query };
}

export function href(page: 'overview' | 'sessions' | 'tokens' | 'money', query?: Record<string, string | undefined>): string;
export function href(page: 'station' | 'session', id: string, query?: Record<string, string | undefined>): string;
export function href(page: Route['page'], idOrQuery?: string | Record<string, string | undefined>, maybeQuery?: Record<string, string | undefined>): string {
  const id = typeof idOrQuery === 'string' ? idOrQuery : undefined;
  const query = typeof idOrQuery === 'string' ? maybeQuery : idOrQuery;
  const base = page === 'station' ? `#/stations/${encodeURIComponent(id ?? '')}` : page === 'session' ? `#/sessions/${encodeURIComponent(id ?? '')}` : page === 'overview' ? '#/' : `#/${page}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') params.set(key, value);
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}
