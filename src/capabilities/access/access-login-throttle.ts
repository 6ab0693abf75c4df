/**
 * Sign-in throttling (issue 13): after `maxFailures` failed sign-ins for one e-mail, or from one
 * client address, further attempts are refused for `lockoutMs`, whatever the password. Counting
 * both stops one address guessing many accounts and many addresses guessing one. Pure state with
 * time passed in; the service keeps one per node (a cluster of n nodes allows n times the attempts
 * at worst, which the lock-out still bounds).
 */

interface Entry {
  failures: number;
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
    /** Bounds memory under a spray of addresses: the oldest entries are forgotten first. */
    private readonly maxEntries = 100_000,
  ) {}

  /** Milliseconds until these keys may try again, or 0 when they may now. */
  blockedFor(keys: readonly string[], nowMs: number): number {
    let wait = 0;
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry && entry.lockedUntil > nowMs) wait = Math.max(wait, entry.lockedUntil - nowMs);
    }
    return wait;
  }

  failed(keys: readonly string[], nowMs: number): void {
    for (const key of keys) {
      const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: 0 };
      if (entry.lockedUntil !== 0 && entry.lockedUntil <= nowMs) entry.failures = 0; // the lock-out served its time
      entry.failures += 1;
      entry.lockedUntil = entry.failures >= this.maxFailures ? nowMs + this.lockoutMs : 0;
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  succeeded(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }
}
