/**
 * A clock and timers that move only when a test says so (startChargebridge's `time` option).
 * `advance(ms)` moves the clock to each due timer in turn and runs it, so periodic work happens at
 * the simulated times it would in production, without sleeping. Work a timer starts (a sweep) is
 * awaited by the test through the service itself (e.g. `app.stuck.sweep()`), never by guessing.
 */
import type { TimeSource, TimerHandle, Timers } from '../../src/kernel/time.ts';

interface Scheduled {
  id: number;
  at: number;
  everyMs: number | null;
  callback: () => void;
}

export class FakeTime implements TimeSource {
  private nowMs: number;
  private nextId = 1;
  private readonly scheduled = new Map<number, Scheduled>();
  readonly timers: Timers;

  constructor(start: Date = new Date()) {
    this.nowMs = start.getTime();
    const schedule = (callback: () => void, ms: number, everyMs: number | null): TimerHandle => {
      const id = this.nextId++;
      this.scheduled.set(id, { id, at: this.nowMs + Math.max(ms, 0), everyMs, callback });
      return { unref: () => undefined, id } as TimerHandle;
    };
    const cancel = (handle: TimerHandle | null | undefined) => {
      if (handle) this.scheduled.delete((handle as unknown as { id: number }).id);
    };
    this.timers = {
      setTimeout: (callback, ms) => schedule(callback, ms, null),
      setInterval: (callback, ms) => schedule(callback, ms, Math.max(ms, 1)),
      clearTimeout: cancel,
      clearInterval: cancel,
    };
  }

  readonly clock = (): Date => new Date(this.nowMs);

  /** Moves time forward by `ms`, running every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const until = this.nowMs + ms;
    for (;;) {
      const due = [...this.scheduled.values()].filter((s) => s.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.nowMs = Math.max(this.nowMs, due.at);
      if (due.everyMs === null) this.scheduled.delete(due.id);
      else due.at += due.everyMs;
      due.callback();
      // Let the callback's synchronous follow-ups (promise jobs) run before the next timer.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.nowMs = until;
  }

  /** Timers waiting (for tests of the fake itself and of services that must leave none behind). */
  get pending(): number {
    return this.scheduled.size;
  }
}
