/**
 * Why a sign-in did not work, in words that tell the operator what to do
 * next: wrong credentials, too many attempts (and for how long), or a CSMS
 * that cannot be reached. Kept apart from the form so every case is tested.
 */

/** What came back from the server, or that nothing did. */
export type SignInAnswer = { status: number; retryAfter: string | null; detail: string | null } | 'unreachable';

export interface SignInProblem {
  message: string;
  /** Epoch ms before which another attempt is certain to be refused again; null when one may retry now. */
  waitUntil: number | null;
}

const UNREACHABLE = 'The CSMS cannot be reached. Check the network connection and that the CSMS is running, then try again.';

/** Retry-After as whole seconds from `now`: delta-seconds or an HTTP date (RFC 9110); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function seconds(n: number): string {
  return `${n} second${n === 1 ? '' : 's'}`;
}

/** POST /auth/login with e-mail and password did not give a session. */
export function loginProblem(answer: SignInAnswer, now: number): SignInProblem {
  if (answer === 'unreachable') return { message: UNREACHABLE, waitUntil: null };
  if (answer.status === 401) return { message: 'Wrong e-mail or password.', waitUntil: null };
  if (answer.status === 429) {
    const wait = retryAfterSeconds(answer.retryAfter, now);
    if (wait === null || wait === 0) return { message: 'Too many sign-in attempts. Wait a moment, then try again.', waitUntil: null };
    return { message: `Too many sign-in attempts. Try again in ${seconds(wait)}.`, waitUntil: now + wait * 1000 };
  }
  // An older CSMS without user accounts: only the token sign-in works there.
  if (answer.status === 404) return { message: 'This CSMS does not offer e-mail sign-in. Use an API token instead.', waitUntil: null };
  return { message: `Sign-in failed (HTTP ${answer.status})${answer.detail ? `: ${answer.detail}` : '.'}`, waitUntil: null };
}

/** GET /auth/me with a pasted API token did not say who it is. */
export function tokenProblem(answer: SignInAnswer): string {
  if (answer === 'unreachable') return UNREACHABLE;
  if (answer.status === 401) return 'That token was refused. Use the admin token printed at start (or in data/admin-token), or an API key.';
  return `The token could not be checked (HTTP ${answer.status})${answer.detail ? `: ${answer.detail}` : '.'}`;
}
