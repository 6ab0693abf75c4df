/**
 * One live event stream per signed-in console, shared by every page: reads
 * GET /api/v1/events with fetch (token in the header), reconnects with a
 * short backoff, and tells subscribers when it (re)connected so they reload
 * what they may have missed.
 */
import { SseParser } from './lib/sse.ts';
import type { LiveEvent } from './lib/types.ts';

export type LiveState = 'connecting' | 'live' | 'retrying';
type Listener = (event: LiveEvent) => void;

export class LiveStream {
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private controller: AbortController | null = null;
  private stopped = false;
  state: LiveState = 'connecting';

  constructor(private readonly headers: () => Record<string, string>) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: LiveState): void {
    this.state = state;
    for (const l of this.stateListeners) l(state);
  }

  private async loop(): Promise<void> {
    let delay = 500;
    while (!this.stopped) {
      this.controller = new AbortController();
      try {
        const response = await fetch('/api/v1/events', { headers: { ...this.headers(), accept: 'text/event-stream' }, signal: this.controller.signal });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        this.setState('live');
        delay = 500;
        const parser = new SseParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.feed(value)) {
            let event: LiveEvent;
            try {
              event = JSON.parse(message.data) as LiveEvent;
            } catch {
              continue;
            }
            for (const l of this.listeners) l(event);
          }
        }
      } catch {
        // Network error or abort: retry below unless stopped.
      }
      if (this.stopped) return;
      this.setState('retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }
}
