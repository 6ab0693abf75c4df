/**
 * Runs work for one station strictly one after another on this node, so that
 * read-merge-write of a station's state never interleaves (a replayed burst of
 * queued transaction messages, say). Different stations run concurrently.
 */
export class StationLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(stationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(stationId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(stationId, tail);
    void tail.then(() => {
      if (this.tails.get(stationId) === tail) this.tails.delete(stationId);
    });
    return next;
  }
}
