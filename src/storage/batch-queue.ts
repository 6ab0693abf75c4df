/**
 * Write-behind batching for hot paths: items added while a flush is running
 * are written together by the next flush, so throughput grows with load while
 * a lone item is written at once. `add` resolves when the item is durable.
 * When a batch fails, its items are retried one by one so a single bad item
 * (e.g. a row for a station deleted meanwhile) fails alone.
 * A writer may return one result per item (in order), e.g. "inserted" or
 * "was a duplicate"; `add` resolves with that item's result.
 */
interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class BatchQueue<T, R = void> {
  private waiting: Waiting<T, R>[] = [];
  private readonly flushing = new Set<Promise<void>>();

  /**
   * `concurrency` > 1 lets several batches be written at once (on separate
   * database connections); only for writers whose concurrent batches never
   * touch the same rows.
   */
  constructor(
    private readonly write: (items: T[]) => Promise<readonly R[] | void>,
    private readonly maxBatch = 1000,
    private readonly concurrency = 1,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.flushing.size < this.concurrency) {
        const loop: Promise<void> = this.flushLoop().finally(() => this.flushing.delete(loop));
        this.flushing.add(loop);
      }
    });
  }

  /** Resolves once everything added so far is written (or failed). */
  async drain(): Promise<void> {
    while (this.flushing.size > 0) await Promise.all(this.flushing);
  }

  get pending(): number {
    return this.waiting.length;
  }

  private async flushLoop(): Promise<void> {
    // Let the current tick's other adds join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const results = await this.write(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results?.[i] as R));
      } catch (error) {
        if (batch.length === 1) {
          batch[0]?.reject(error);
          continue;
        }
        for (const w of batch) {
          try {
            const results = await this.write([w.item]);
            w.resolve(results?.[0] as R);
          } catch (single) {
            w.reject(single);
          }
        }
      }
    }
  }
}
