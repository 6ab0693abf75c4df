/**
 * Last-seen times are updated on every frame, so they live in memory and are
 * written in one set-based statement per interval instead of one UPDATE per
 * Heartbeat (OCPP 2.0.1 G02: a heartbeat may also be any other message).
 * The REST view reads the in-memory time of a connected station, so the stored
 * one only needs to be recent: a station is written again once its stored time
 * is `staleAfterMs` old, and once more when it disconnects. At a steady state
 * that is one row per station per `staleAfterMs`, not per flush, which keeps the
 * flush from stalling the event loop on the embedded database.
 */
import type { StationRepository } from './station-repository.ts';

export class StationPresence {
  private readonly latest = new Map<string, Date>();
  /** The time last written per station. */
  private readonly written = new Map<string, number>();
  private dirty = new Map<string, Date>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: StationRepository,
    private readonly flushMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly staleAfterMs = 0,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  seen(stationId: string, at: Date): void {
    this.latest.set(stationId, at);
    const written = this.written.get(stationId);
    if (written === undefined || at.getTime() - written >= this.staleAfterMs) this.dirty.set(stationId, at);
  }

  /** The station left: its latest time is written by the next flush, however recent the stored one. */
  settle(stationId: string): void {
    const at = this.latest.get(stationId);
    if (at) this.dirty.set(stationId, at);
    this.written.delete(stationId);
  }

  lastSeen(stationId: string): Date | undefined {
    return this.latest.get(stationId);
  }

  forget(stationId: string): void {
    this.latest.delete(stationId);
    this.written.delete(stationId);
    this.dirty.delete(stationId);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.dirty.size === 0) return;
      const batch = this.dirty;
      this.dirty = new Map();
      try {
        await this.repo.touchMany(batch);
        for (const [id, at] of batch) if (this.latest.has(id)) this.written.set(id, at.getTime());
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
