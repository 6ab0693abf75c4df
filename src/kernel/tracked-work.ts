/**
 * Work a service starts and does not wait for (event handlers, sweeps): a failure goes to one
 * handler instead of becoming an unhandled rejection, and `idle()` resolves once everything
 * started so far - and anything it started meanwhile - is done (tests, a clean stop).
 * Plain promise chaining, no timers.
 */
export class TrackedWork {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly onError: (error: unknown, context: Record<string, unknown> | undefined) => void) {}

  /** Runs `work` in the background; the returned promise never rejects (undefined on a failure). */
  track<T>(work: Promise<T>, context?: Record<string, unknown>): Promise<T | undefined> {
    const guarded = work.catch((error: unknown) => {
      this.onError(error, context);
      return undefined;
    });
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
    return guarded;
  }

  idle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return Promise.allSettled([...this.running]).then(() => this.idle());
  }
}

/** Work run one at a time (a sweep): a call while a run is under way joins that run instead of starting another. */
export class JoinedRun<T> {
  private current: Promise<T> | null = null;

  run(work: () => Promise<T>): Promise<T> {
    if (this.current) return this.current;
    const started = work().finally(() => {
      if (this.current === started) this.current = null;
    });
    this.current = started;
    return started;
  }
}
