/** Stripe-looking object ids: a type prefix and 24 random base-62 characters (pi_3Mtw...). */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomToken(length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  // 256 % 62 leaves a slight bias; irrelevant for ids that only need to be unique.
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export function newId(prefix: 'pi' | 'pm' | 'ch' | 'evt' | 'req'): string {
  return `${prefix}_${randomToken(prefix === 'req' ? 14 : 24)}`;
}

/** Unix seconds, the unit of every Stripe timestamp. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
