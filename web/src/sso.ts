/**
 * The end of a single sign-on: the CSMS's callback sent the browser to `#/sso?ticket=…`. The
 * ticket is taken out of the address bar the moment the console loads (replaceState, so it stays
 * neither on screen nor in the history), and traded once for a session token with POST
 * /auth/oidc/redeem. A ticket works once: the promise is kept, so React's double effects in
 * development do not spend it twice.
 */
import type { Outcome } from './auth.ts';
import { encodeBinding, ssoLanding, ssoStartUrl } from './lib/sso.ts';

/** This tab's binding of a sign-in it started (sessionStorage: it survives the trip to the provider, not the tab). */
const BINDING_KEY = 'chargebridge.sso-binding';

/** Starts a single sign-on from this tab: a fresh binding is kept here, and only this tab can redeem the ticket. */
export function ssoStart(organisation: string, returnPath: string): string {
  const binding = encodeBinding(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem(BINDING_KEY, binding);
  return ssoStartUrl(organisation, returnPath, binding);
}
import type { LoginAnswer } from './lib/types.ts';

function takeLanding(): { ticket: string; returnTo: string } | null {
  const landing = ssoLanding(window.location.hash);
  if (landing) window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}#${landing.returnTo}`);
  return landing;
}

let landing = takeLanding();
let redemption: Promise<Outcome<LoginAnswer>> | null = null;

async function redeem(ticket: string): Promise<Outcome<LoginAnswer>> {
  let response: Response;
  try {
    const binding = sessionStorage.getItem(BINDING_KEY);
    sessionStorage.removeItem(BINDING_KEY);
    // A ticket this tab did not ask for (a link from someone else) cannot be redeemed here: say so, like a spent one.
    if (!binding) return { ok: false, answer: { status: 401, retryAfter: null, detail: 'this sign-in was not started in this tab' } };
    response = await fetch('/api/v1/auth/oidc/redeem', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket, binding }) });
  } catch {
    return { ok: false, answer: 'unreachable' };
  }
  const body = (await response.json().catch(() => null)) as (LoginAnswer & { detail?: string; title?: string }) | null;
  if (response.ok && body && typeof body.token === 'string') return { ok: true, value: { token: body.token, expiresAt: body.expiresAt } };
  return { ok: false, answer: { status: response.ok ? 502 : response.status, retryAfter: response.headers.get('retry-after'), detail: body?.detail ?? body?.title ?? null } };
}

/** A ticket lives 60 s on the server; one not asked for by then (the tab was signed in already) is dropped unused. */
const TICKET_LIFETIME_MS = 60_000;

/** The session the ticket of this page load stands for; null when the console was not opened by a single sign-on. */
export function ssoRedemption(): Promise<Outcome<LoginAnswer>> | null {
  if (!landing) return null;
  if (!redemption && performance.now() > TICKET_LIFETIME_MS) return null;
  redemption ??= redeem(landing.ticket);
  return redemption;
}

/** The outcome reached the sign-in page: a later visit to it (after signing out) starts afresh. */
export function ssoSettled(): void {
  landing = null;
  redemption = null;
}
