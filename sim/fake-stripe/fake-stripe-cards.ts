/**
 * Test-card facts: which numbers decline and how, card brands, the Luhn check, and the predefined
 * `pm_card_*` ids Stripe's test mode accepts without creating a PaymentMethod first.
 */

/** What happens when a card is charged; kept instead of the number, which is never stored. */
export type FakeCardBehaviour = 'ok' | 'generic_decline' | 'insufficient_funds' | 'expired_card' | 'increment_refused';

/** Stripe's documented test numbers (the subset the fake imitates). Anything else Luhn-valid is 'ok'. */
export const TEST_CARD_NUMBERS: Readonly<Record<string, FakeCardBehaviour>> = {
  '4242424242424242': 'ok',
  '4000000000000002': 'generic_decline',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
};

export interface FakePredefinedCard {
  brand: string;
  last4: string;
  behaviour: FakeCardBehaviour;
}

/** Ids usable as `payment_method` without creating one, like Stripe's test tokens. */
export const PREDEFINED_PAYMENT_METHODS: Readonly<Record<string, FakePredefinedCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242', behaviour: 'ok' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', behaviour: 'ok' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', behaviour: 'generic_decline' },
  pm_card_chargeDeclinedInsufficientFunds: { brand: 'visa', last4: '9995', behaviour: 'insufficient_funds' },
  pm_card_chargeDeclinedExpiredCard: { brand: 'visa', last4: '0069', behaviour: 'expired_card' },
  // Not a Stripe token: a fake-only card that authorizes but whose every increment is declined.
  pm_card_visa_incrementRefused: { brand: 'visa', last4: '4242', behaviour: 'increment_refused' },
};

/** The mod-10 checksum every real card number satisfies; Stripe refuses numbers failing it. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The brand from the number's leading digits (IIN ranges), as Stripe reports it in card.brand. */
export function cardBrand(digits: string): string {
  if (digits.startsWith('4')) return 'visa';
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (two === 34 || two === 37) return 'amex';
  if (digits.startsWith('6011') || digits.startsWith('65') || (four >= 6440 && four <= 6499)) return 'discover';
  if (two === 35) return 'jcb';
  if (two === 36 || two === 30 || two === 38) return 'diners';
  if (two === 62) return 'unionpay';
  return 'unknown';
}

export function behaviourOfNumber(digits: string): FakeCardBehaviour {
  return TEST_CARD_NUMBERS[digits] ?? 'ok';
}

/**
 * Incremental authorization exists only on some networks (Stripe lists Visa, Mastercard, American
 * Express, Discover and UnionPay); on any other brand the fake refuses an increment outright.
 */
export function brandSupportsIncrement(brand: string): boolean {
  return ['visa', 'mastercard', 'amex', 'discover', 'unionpay'].includes(brand);
}

/** The card_error a charge attempt with this behaviour yields; null when it authorizes. */
export function declineOf(behaviour: FakeCardBehaviour): { code: string; decline_code: string; message: string } | null {
  switch (behaviour) {
    case 'generic_decline':
      return { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' };
    case 'insufficient_funds':
      return { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' };
    case 'expired_card':
      return { code: 'expired_card', decline_code: 'expired_card', message: 'Your card has expired.' };
    default:
      return null;
  }
}
