/**
 * The calls around a console session: sign in with e-mail and password, ask
 * whom a token belongs to, sign out. They run before a session exists (or as
 * it ends), so they use fetch directly and hand failures back as data for
 * the sign-in form instead of signing anyone out.
 */
import type { SignInAnswer } from './lib/sign-in-problems.ts';
import type { LoginAnswer, Me } from './lib/types.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; answer: SignInAnswer };

async function call<T>(path: string, init: RequestInit): Promise<Outcome<T>> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch {
    return { ok: false, answer: 'unreachable' };
  }
  if (response.ok) {
    try {
      return { ok: true, value: (await response.json()) as T };
    } catch {
      // A 200 that is not JSON is no CSMS answer (a proxy page, say): treat it as an error of the server.
      return { ok: false, answer: { status: 502, retryAfter: null, detail: 'the answer was not JSON' } };
    }
  }
  const problem = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
  return { ok: false, answer: { status: response.status, retryAfter: response.headers.get('retry-after'), detail: problem.detail ?? problem.title ?? null } };
}

/** POST /auth/login: the only request of the console without a bearer token. */
export function login(email: string, password: string): Promise<Outcome<LoginAnswer>> {
  return call<LoginAnswer>('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
}

/** GET /auth/me: also how a pasted API token is checked, since it works whatever the token may read. */
export function whoIs(token: string): Promise<Outcome<Me>> {
  return call<Me>('/auth/me', { headers: { authorization: `Bearer ${token}` } });
}

/** POST /auth/logout; failures are ignored (the console forgets the token either way). keepalive lets it finish if the tab closes. */
export async function logout(token: string): Promise<void> {
  await fetch('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` }, keepalive: true }).catch(() => undefined);
}
