/**
 * Last-seen times are updated on every frame, so they live in memory and are
 * written in one set-based statement per interval instead of one UPDATE per
 * Heartbeat (OCPP 2.0.1 G02: a heartbeat may also be any other message).
 */
import type { StationRepository } from './station-repository.ts';

export class StationPresence {
  private readonly latest = new Map<string, Date>();
  private dirty = new Map<string, Date>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: StationRepository,
    private readonly flushMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  seen(stationId: string, at: Date): void {
    this.latest.set(stationId, at);
    this.dirty.set(stationId, at);
  }

  lastSeen(stationId: string): Date | undefined {
    return this.latest.get(stationId);
  }

  forget(stationId: string): void {
    this.latest.delete(stationId);
    this.dirty.delete(stationId);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.dirty.size === 0) return;
      const batch = this.dirty;
      this.dirty = new Map();
      try {
        await this.repo.touchMany(batch);
      } catch (error) {
        for (const [id, at] of batch) if (!this.dirty.has(id)) this.dirty.set(id, at);
        this.onError(error);
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
