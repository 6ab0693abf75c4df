/**
 * Write-behind batching for hot paths: items added while a flush is running
 * are written together by the next flush, so throughput grows with load while
 * a lone item is written at once. `add` resolves when the item is durable.
 * When a batch fails, its items are retried one by one so a single bad item
 * (e.g. a row for a station deleted meanwhile) fails alone.
 */
interface Waiting<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

export class BatchQueue<T> {
  private waiting: Waiting<T>[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 1000,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /** Resolves once everything added so far is written (or failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
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
        await this.write(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (error) {
        if (batch.length === 1) {
          batch[0]?.reject(error);
          continue;
        }
        for (const w of batch) {
          try {
            await this.write([w.item]);
            w.resolve();
          } catch (single) {
            w.reject(single);
          }
        }
      }
    }
    this.flushing = null;
  }
}
