/**
 * Station passwords (security profiles 1 and 2) are stored as scrypt hashes.
 * OCPP 2.0.1 A00.FR.205 / the 1.6 security whitepaper ask for 16-40
 * character passwords, i.e. machine secrets, so scrypt runs with a moderate
 * cost (N=2^12, ~13 ms here) and a successful check is remembered in memory
 * as an HMAC under a per-process key, so reconnects do not pay the KDF again.
 * See docs/adr/0004-station-password-hashing.md.
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const N = 1 << 12;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export const PASSWORD_MIN_LENGTH = 16;
export const PASSWORD_MAX_LENGTH = 40;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N: n, r, p, maxmem: 256 * n * r }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Remembers verified (stored hash, password) pairs without keeping the password:
 * one HMAC per station, at most `maxEntries` stations. When full, the station
 * that connected least recently is dropped, so a fleet larger than the cache
 * keeps its recently connected stations instead of starting over.
 */
export class VerifiedPasswordCache {
  private readonly key = randomBytes(32);
  private readonly entries: LRUCache<string, string>;

  constructor(maxEntries = 200_000) {
    this.entries = new LRUCache<string, string>({ max: maxEntries });
  }

  private fingerprint(stored: string, password: string): string {
    return createHmac('sha256', this.key).update(stored).update('\u0000').update(password).digest('base64');
  }

  /** A hit counts as use: the entry becomes the most recently used. */
  has(stationId: string, stored: string, password: string): boolean {
    return this.entries.get(stationId) === this.fingerprint(stored, password);
  }

  remember(stationId: string, stored: string, password: string): void {
    this.entries.set(stationId, this.fingerprint(stored, password));
  }

  forget(stationId: string): void {
    this.entries.delete(stationId);
  }

  get size(): number {
    return this.entries.size;
  }
}
