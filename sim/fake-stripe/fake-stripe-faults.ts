/**
 * Programmable misbehaviour, so a payments integration can be tested against what a real gateway
 * and network do now and then: slow answers, 500s, requests that never get an answer, and the
 * worst case for bookkeeping, an operation that was applied but whose answer was lost.
 */
import type { FakeStripeFailMode, FakeStripeFailOptions } from './fake-stripe-types.ts';

export const FAIL_MODES: readonly FakeStripeFailMode[] = ['error500', 'timeout', 'applyThenDrop'];

interface FailRule {
  remaining: number;
  path: RegExp | string | undefined;
  mode: FakeStripeFailMode;
}

export class FakeStripeFaults {
  private rules: FailRule[] = [];
  private incrementDeclines = 0;

  constructor(public latencyMs: number) {}

  reset(latencyMs: number): void {
    this.rules = [];
    this.incrementDeclines = 0;
    this.latencyMs = latencyMs;
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`latency must be a non-negative number of ms, got ${ms}`);
    this.latencyMs = ms;
  }

  failNext(count: number, options: FakeStripeFailOptions): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNext count must be a positive integer, got ${count}`);
    if (!FAIL_MODES.includes(options.mode)) throw new Error(`failNext mode must be one of ${FAIL_MODES.join(', ')}, got ${String(options.mode)}`);
    this.rules.push({ remaining: count, path: options.path, mode: options.mode });
  }

  declineNextIncrement(count = 1): void {
    if (!Number.isInteger(count) || count < 0) throw new Error(`declineNextIncrement count must be a non-negative integer, got ${count}`);
    this.incrementDeclines += count;
  }

  /** The fault due for this API request, consuming one use of the first rule that matches. */
  take(path: string): FakeStripeFailMode | null {
    const rule = this.rules.find((r) => r.remaining > 0 && matches(r.path, path));
    if (!rule) return null;
    rule.remaining--;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule.mode;
  }

  takeIncrementDecline(): boolean {
    if (this.incrementDeclines === 0) return false;
    this.incrementDeclines--;
    return true;
  }

  /** What is still armed, for the control endpoint's answer. */
  pending(): { failNext: { remaining: number; path: string | null; mode: FakeStripeFailMode }[]; declineNextIncrement: number } {
    return {
      failNext: this.rules.map((r) => ({ remaining: r.remaining, path: r.path === undefined ? null : String(r.path), mode: r.mode })),
      declineNextIncrement: this.incrementDeclines,
    };
  }
}

function matches(pattern: RegExp | string | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === 'string') return path.includes(pattern);
  pattern.lastIndex = 0;
  return pattern.test(path);
}
