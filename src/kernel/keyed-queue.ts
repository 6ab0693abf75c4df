/**
 * Work that must not interleave per key (per station): each `run` starts after the previous one
 * for the same key has finished, whatever its outcome; different keys run side by side. Plain
 * promise chaining, no timers; a key is forgotten when its queue is empty.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return Promise.allSettled([...this.tails.values()]).then(() => undefined);
  }
}
