/**
 * Single sign-on (OpenID Connect) in the console, the pure part: the URL that starts a sign-in at
 * an organisation's identity provider, the ticket the CSMS hands back in the URL fragment
 * (`#/sso?ticket=…&returnTo=…`), and what to tell the operator when the ticket is refused.
 */
import type { SignInAnswer } from './sign-in-problems.ts';

/** The console route of a hash (`#/stations/CP-1` -> `/stations/CP-1`), for coming back after sign-in; the sign-in routes themselves go to the start page. */
export function returnPathOf(hash: string): string {
  const path = hash.replace(/^#/, '');
  if (!path.startsWith('/') || path.startsWith('//') || /^\/sso(\/|\?|$)/.test(path)) return '/';
  return path;
}

/**
 * Where the browser goes to sign in through the organisation's provider (the CSMS answers with a
 * redirect). `binding` is the random value this tab keeps to redeem the ticket (login CSRF, ADR 21).
 */
export function ssoStartUrl(organisation: string, returnPath: string, binding: string): string {
  return `/api/v1/auth/oidc/${encodeURIComponent(organisation)}/start?${new URLSearchParams({ returnTo: returnPath, binding }).toString()}`;
}

/** 32 random bytes as base64url: what the CSMS takes as a browser binding. */
export function encodeBinding(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Organisation ids are lower case; people type them in any case and with stray spaces. */
export function normalizeOrganisation(input: string): string {
  return input.trim().toLowerCase();
}

/** The ticket in `#/sso?ticket=…`, and the route to open once it is redeemed; null for any other hash. */
export function ssoLanding(hash: string): { ticket: string; returnTo: string } | null {
  const match = /^#\/sso\?(.*)$/.exec(hash);
  if (!match) return null;
  const query = new URLSearchParams(match[1]);
  const ticket = query.get('ticket');
  if (!ticket) return null;
  return { ticket, returnTo: returnPathOf(`#${query.get('returnTo') ?? '/'}`) };
}

/** POST /auth/oidc/redeem did not give a session. */
export function ssoProblem(answer: SignInAnswer): string {
  if (answer === 'unreachable') return 'The CSMS cannot be reached. Check the network connection and that the CSMS is running, then try again.';
  if (answer.status === 401) return 'The single sign-on did not complete in time, or its link was already used. Sign in again.';
  return `Single sign-on failed (HTTP ${answer.status})${answer.detail ? `: ${answer.detail}` : '.'}`;
}
