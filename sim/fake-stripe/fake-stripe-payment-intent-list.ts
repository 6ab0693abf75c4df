/**
 * `GET /v1/payment_intents`: Stripe's cursor pagination. Newest first; `starting_after=<id>` gives
 * the page after that object (older ones), `ending_before=<id>` the page before it (newer ones,
 * still newest first); `has_more` says whether the walk can go on. That is all the official
 * client's auto-pagination needs.
 */
import { invalidParam, noSuchObject } from './fake-stripe-errors.ts';
import { allowOnly, readInt, readString } from './fake-stripe-form.ts';
import type { FakeStripePaymentIntents, StoredIntent } from './fake-stripe-payment-intents.ts';
import type { FakeStripeParams, FakeStripePaymentIntent } from './fake-stripe-types.ts';

export interface FakeStripeList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** `created=<ts>` or `created[gt|gte|lt|lte]=<ts>`, unix seconds. */
function createdFilter(params: FakeStripeParams): (created: number) => boolean {
  const raw = params['created'];
  if (raw === undefined) return () => true;
  if (typeof raw === 'string') {
    const exact = readInt(params, 'created')!;
    return (c) => c === exact;
  }
  if (Array.isArray(raw)) throw invalidParam('created', 'Invalid created: must be an integer or a hash of gt, gte, lt, lte.');
  allowOnly(raw, ['gt', 'gte', 'lt', 'lte'], 'created');
  const gt = readInt(raw, 'gt');
  const gte = readInt(raw, 'gte');
  const lt = readInt(raw, 'lt');
  const lte = readInt(raw, 'lte');
  return (c) => (gt === undefined || c > gt) && (gte === undefined || c >= gte)
    && (lt === undefined || c < lt) && (lte === undefined || c <= lte);
}

export function listPaymentIntents(intents: FakeStripePaymentIntents, params: FakeStripeParams): FakeStripeList<FakeStripePaymentIntent> {
  allowOnly(params, ['limit', 'starting_after', 'ending_before', 'created', 'customer', 'expand']);
  const limit = readInt(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam('limit', 'Invalid limit: must be between 1 and 100.');
  const startingAfter = readString(params, 'starting_after');
  const endingBefore = readString(params, 'ending_before');
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw invalidParam('ending_before', 'You may only specify one of these parameters: ending_before, starting_after.', 'parameters_exclusive');
  }
  const customer = readString(params, 'customer');
  const keep = createdFilter(params);
  // The fake has no customers: filtering by one finds nothing.
  const matching: StoredIntent[] = intents.all().filter((s) => keep(s.pi.created) && customer === undefined);

  let page: StoredIntent[];
  let hasMore: boolean;
  if (endingBefore !== undefined) {
    const at = indexOf(matching, endingBefore, 'ending_before');
    const from = Math.max(0, at - limit);
    page = matching.slice(from, at);
    hasMore = from > 0;
  } else {
    const from = startingAfter === undefined ? 0 : indexOf(matching, startingAfter, 'starting_after') + 1;
    page = matching.slice(from, from + limit);
    hasMore = from + limit < matching.length;
  }
  return { object: 'list', data: page.map((s) => structuredClone(s.pi)), has_more: hasMore, url: '/v1/payment_intents' };
}

function indexOf(list: StoredIntent[], id: string, param: string): number {
  const at = list.findIndex((s) => s.pi.id === id);
  if (at < 0) throw noSuchObject('payment_intent', id, param, 400);
  return at;
}
