/**
 * The endpoints the fake serves, and which API key each accepts. Stripe lets a publishable key do
 * only what a browser page needs (here: create a PaymentMethod from card details); everything else
 * takes the secret key.
 */
import { authError } from './fake-stripe-errors.ts';
import { cancel, capture, incrementAuthorization, update } from './fake-stripe-payment-intent-actions.ts';
import { listPaymentIntents } from './fake-stripe-payment-intent-list.ts';
import type { FakeStripePaymentIntents } from './fake-stripe-payment-intents.ts';
import type { FakeStripePaymentMethods } from './fake-stripe-payment-methods.ts';
import type { FakeStripeParams, FakeStripeRequestContext } from './fake-stripe-types.ts';

export interface FakeStripeStores {
  intents: FakeStripePaymentIntents;
  paymentMethods: FakeStripePaymentMethods;
}

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  publishable: boolean;
  run(stores: FakeStripeStores, id: string, params: FakeStripeParams, ctx: FakeStripeRequestContext): unknown;
}

const ID = '([A-Za-z0-9_]+)';

const ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/v1\/payment_methods$/, publishable: true, run: (s, _id, p) => s.paymentMethods.create(p) },
  { method: 'GET', pattern: new RegExp(`^/v1/payment_methods/${ID}$`), publishable: false, run: (s, id) => s.paymentMethods.retrieve(id) },
  { method: 'POST', pattern: /^\/v1\/payment_intents$/, publishable: false, run: (s, _id, p, c) => s.intents.create(p, c) },
  { method: 'GET', pattern: /^\/v1\/payment_intents$/, publishable: false, run: (s, _id, p) => listPaymentIntents(s.intents, p) },
  { method: 'GET', pattern: new RegExp(`^/v1/payment_intents/${ID}$`), publishable: false, run: (s, id) => structuredClone(s.intents.get(id).pi) },
  { method: 'POST', pattern: new RegExp(`^/v1/payment_intents/${ID}$`), publishable: false, run: (s, id, p) => update(s.intents, id, p) },
  { method: 'POST', pattern: new RegExp(`^/v1/payment_intents/${ID}/confirm$`), publishable: false, run: (s, id, p, c) => s.intents.confirm(id, p, c) },
  {
    method: 'POST', pattern: new RegExp(`^/v1/payment_intents/${ID}/increment_authorization$`), publishable: false,
    run: (s, id, p, c) => incrementAuthorization(s.intents, id, p, c),
  },
  { method: 'POST', pattern: new RegExp(`^/v1/payment_intents/${ID}/capture$`), publishable: false, run: (s, id, p, c) => capture(s.intents, id, p, c) },
  { method: 'POST', pattern: new RegExp(`^/v1/payment_intents/${ID}/cancel$`), publishable: false, run: (s, id, p, c) => cancel(s.intents, id, p, c) },
];

export interface FakeStripeMatchedRoute {
  route: Route;
  id: string;
}

export function matchRoute(method: string, path: string): FakeStripeMatchedRoute | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (m) return { route, id: m[1] ?? '' };
  }
  return null;
}

export interface FakeStripeKeys {
  secretKey: string;
  publishableKey: string;
}

/**
 * Reads the key from `Authorization: Bearer <key>` (what the official clients send) or HTTP Basic
 * with the key as user name (what `curl -u sk_test_...:` sends), as Stripe accepts both.
 */
export function presentedKey(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer) return bearer[1]!.trim();
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0] ?? null;
  return null;
}

/** Throws the 401 Stripe gives when the key is missing, unknown, or publishable where a secret one is needed. */
export function checkKey(keys: FakeStripeKeys, header: string | undefined, publishableAllowed: boolean | null): void {
  const key = presentedKey(header);
  if (!key) {
    throw authError("You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
  }
  if (key === keys.secretKey) return;
  if (key === keys.publishableKey) {
    if (publishableAllowed !== false) return;
    throw authError('This API call cannot be made with a publishable API key. Please use a secret API key.');
  }
  throw authError(`Invalid API Key provided: ${mask(key)}`);
}

/** Stripe echoes only the start and the last four characters of a wrong key. */
function mask(key: string): string {
  if (key.length <= 12) return '*'.repeat(key.length);
  return `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}
