/**
 * Sign-in throttling (issue 13): after `maxFailures` failed sign-ins for one e-mail, or from one
 * client address, further attempts are refused for `lockoutMs`, whatever the password. Counting
 * both stops one address guessing many accounts and many addresses guessing one. Pure state with
 * time passed in; the service keeps one per node (a cluster of n nodes allows n times the attempts
 * at worst, which the lock-out still bounds).
 *
 * An attempt is counted as a failure **before** its password is checked (`attempt`), and given
 * back once it succeeded (`succeeded`): checking a password takes long, and guesses sent in
 * parallel must not all pass the check that the first ones have not failed yet. A success forgives
 * the e-mail, not the address: an attacker's own account must not wipe the count of its guesses at
 * others. Failures older than the lock-out period are forgotten.
 */

interface Entry {
  failures: number;
  /** When the first failure of the current count happened. */
  since: number;
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

  /**
   * Milliseconds until these keys may try again (0: they may). When they may, the attempt is counted
   * at once, so the next caller already sees it.
   */
  attempt(keys: readonly string[], nowMs: number): number {
    let wait = 0;
    for (const key of keys) {
      const entry = this.current(key, nowMs);
      if (entry && entry.lockedUntil > nowMs) wait = Math.max(wait, entry.lockedUntil - nowMs);
    }
    if (wait > 0) return wait;
    for (const key of keys) this.count(key, nowMs);
    return 0;
  }

  /** The attempt was right: the e-mail's count is cleared, the address gets its one attempt back. */
  succeeded(emailKey: string, otherKeys: readonly string[]): void {
    this.entries.delete(emailKey);
    for (const key of otherKeys) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      entry.failures = Math.max(0, entry.failures - 1);
      if (entry.failures < this.maxFailures) entry.lockedUntil = 0;
    }
  }

  private current(key: string, nowMs: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.lockedUntil <= nowMs && nowMs - entry.since >= this.lockoutMs) {
      // A served lock-out, or failures long enough ago, start the count again.
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private count(key: string, nowMs: number): void {
    const entry = this.current(key, nowMs) ?? { failures: 0, since: nowMs, lockedUntil: 0 };
    entry.failures += 1;
    if (entry.failures >= this.maxFailures) entry.lockedUntil = nowMs + this.lockoutMs;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
