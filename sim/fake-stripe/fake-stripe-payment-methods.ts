/**
 * PaymentMethods: `POST /v1/payment_methods` (what a browser page does with the publishable key)
 * and `GET /v1/payment_methods/{id}`. Only the last four digits and the test-card behaviour are
 * kept, never the full number or the CVC, as a PCI-minded integration would expect.
 */
import {
  PREDEFINED_PAYMENT_METHODS, behaviourOfNumber, cardBrand, luhnValid, type FakeCardBehaviour,
} from './fake-stripe-cards.ts';
import { FakeStripeError, missingParam, noSuchObject } from './fake-stripe-errors.ts';
import { allowOnly, mergeMetadata, readEnum, readObject, readString } from './fake-stripe-form.ts';
import { newId, unixSeconds } from './fake-stripe-ids.ts';
import type { FakeStripeParams, FakeStripePaymentMethod } from './fake-stripe-types.ts';

interface StoredPaymentMethod {
  pm: FakeStripePaymentMethod;
  behaviour: FakeCardBehaviour;
}

/** A card problem found while creating the PaymentMethod: 402 card_error, like Stripe. */
function cardError(code: string, param: string, message: string): FakeStripeError {
  // Stripe rejects these while checking the input, before anything is created: nothing to keep.
  return new FakeStripeError(402, { type: 'card_error', code, param, message }, false);
}

export class FakeStripePaymentMethods {
  private readonly created = new Map<string, StoredPaymentMethod>();

  constructor(private readonly clock: () => number) {}

  reset(): void {
    this.created.clear();
  }

  create(params: FakeStripeParams): FakeStripePaymentMethod {
    allowOnly(params, ['type', 'card', 'billing_details', 'metadata', 'expand']);
    const type = readEnum(params, 'type', ['card'] as const);
    if (type === undefined) throw missingParam('type');
    const card = readObject(params, 'card');
    if (card === undefined) throw missingParam('card');
    allowOnly(card, ['number', 'exp_month', 'exp_year', 'cvc'], 'card');

    const number = (readString(card, 'number') ?? '').replace(/[\s-]/g, '');
    if (number === '') throw missingParam('card[number]');
    if (!luhnValid(number)) throw cardError('incorrect_number', 'card[number]', 'Your card number is incorrect.');

    const expMonth = Number(readString(card, 'exp_month'));
    if (!Number.isInteger(expMonth) || expMonth < 1 || expMonth > 12) {
      throw cardError('invalid_expiry_month', 'card[exp_month]', "Your card's expiration month is invalid.");
    }
    let expYear = Number(readString(card, 'exp_year'));
    if (Number.isInteger(expYear) && expYear >= 0 && expYear < 100) expYear += 2000;
    const now = new Date(this.clock());
    const nowYear = now.getUTCFullYear();
    const expired = expYear < nowYear || (expYear === nowYear && expMonth < now.getUTCMonth() + 1);
    if (!Number.isInteger(expYear) || expired || expYear > nowYear + 50) {
      throw cardError('invalid_expiry_year', 'card[exp_year]', "Your card's expiration year is invalid.");
    }
    const cvc = readString(card, 'cvc');
    if (cvc !== undefined && !/^\d{3,4}$/.test(cvc)) {
      throw cardError('invalid_cvc', 'card[cvc]', "Your card's security code is invalid.");
    }

    const pm: FakeStripePaymentMethod = {
      id: newId('pm'),
      object: 'payment_method',
      type: 'card',
      card: { brand: cardBrand(number), last4: number.slice(-4), exp_month: expMonth, exp_year: expYear, funding: 'credit', country: 'US' },
      billing_details: { address: null, email: null, name: null, phone: null },
      created: unixSeconds(this.clock()),
      customer: null,
      livemode: false,
      metadata: mergeMetadata({}, params),
    };
    this.created.set(pm.id, { pm, behaviour: behaviourOfNumber(number) });
    return structuredClone(pm);
  }

  retrieve(id: string): FakeStripePaymentMethod {
    const found = this.lookup(id);
    if (!found) throw noSuchObject('PaymentMethod', id, 'payment_method');
    return structuredClone(found.pm);
  }

  /** The stored method (created or predefined), or undefined. */
  lookup(id: string): StoredPaymentMethod | undefined {
    const created = this.created.get(id);
    if (created) return created;
    const predefined = PREDEFINED_PAYMENT_METHODS[id];
    if (!predefined) return undefined;
    const year = new Date(this.clock()).getUTCFullYear() + 3;
    return {
      behaviour: predefined.behaviour,
      pm: {
        id,
        object: 'payment_method',
        type: 'card',
        card: { brand: predefined.brand, last4: predefined.last4, exp_month: 12, exp_year: year, funding: 'credit', country: 'US' },
        billing_details: { address: null, email: null, name: null, phone: null },
        created: unixSeconds(this.clock()),
        customer: null,
        livemode: false,
        metadata: {},
      },
    };
  }
}
