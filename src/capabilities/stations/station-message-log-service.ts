/**
 * The recent OCPP messages of each station, both ways, for the operator
 * console: a bounded ring buffer per station, in memory only (lost on restart,
 * never written to disk). Frames are stored as text, secrets already redacted;
 * they are parsed only when someone reads the log.
 */
import type { MessageTap } from '../../ocpp/ocpp-ports.ts';
import { redactFrame } from './station-message-redaction.ts';

export type MessageDirection = 'in' | 'out';
export type MessageKind = 'call' | 'result' | 'error' | 'result-error' | 'send' | 'invalid';

export interface LoggedMessage {
  /** Increases by one per message of this station (survives ring wrap-around, so clients can ask for newer ones). */
  seq: number;
  at: Date;
  direction: MessageDirection;
  kind: MessageKind;
  messageId: string | null;
  /** The action; for results and errors, the action of the call they answer, when still in the log. */
  action: string | null;
  payload: unknown;
  /** The frame as text when it could not be parsed as OCPP-J. */
  raw: string | null;
}

export interface MessageFilter {
  direction?: MessageDirection;
  action?: string;
  /** Case-insensitive text searched in the frame. */
  search?: string;
  /** Only messages with seq greater than this. */
  after?: number;
  limit: number;
}

interface Entry {
  seq: number;
  at: Date;
  direction: MessageDirection;
  frame: string;
}

/** Frames longer than this are cut (a full 2.0.1 device model report can be megabytes). */
const MAX_FRAME_CHARS = 16_384;
const KINDS: Record<number, MessageKind> = { 2: 'call', 3: 'result', 4: 'error', 5: 'result-error', 6: 'send' };

/**
 * One station's ring, as parallel arrays (time, direction, frame) rather than an
 * object per message: at 10,000 stations the per-entry objects would cost more
 * than the frames. Sequence numbers follow from the write position.
 */
class Ring {
  private readonly times: Float64Array;
  private readonly inbound: Uint8Array;
  private readonly frames: string[] = [];
  /** Messages written so far; the newest has this seq. */
  seq = 0;
  constructor(private readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.inbound = new Uint8Array(capacity);
  }
  push(direction: MessageDirection, frame: string, at: Date): void {
    const slot = this.seq % this.capacity;
    this.times[slot] = at.getTime();
    this.inbound[slot] = direction === 'in' ? 1 : 0;
    this.frames[slot] = frame;
    this.seq++;
  }
  /** Oldest first. */
  ordered(): Entry[] {
    const out: Entry[] = [];
    for (let seq = Math.max(1, this.seq - this.capacity + 1); seq <= this.seq; seq++) {
      const slot = (seq - 1) % this.capacity;
      out.push({ seq, at: new Date(this.times[slot] as number), direction: this.inbound[slot] ? 'in' : 'out', frame: this.frames[slot] as string });
    }
    return out;
  }
}

function parse(entry: Entry): Omit<LoggedMessage, 'action'> & { action: string | null } {
  const base = { seq: entry.seq, at: entry.at, direction: entry.direction };
  try {
    const frame = JSON.parse(entry.frame) as unknown[];
    const kind = Array.isArray(frame) ? KINDS[frame[0] as number] : undefined;
    if (!kind) throw new Error('not OCPP-J');
    const messageId = typeof frame[1] === 'string' ? frame[1] : null;
    if (kind === 'call' || kind === 'send') return { ...base, kind, messageId, action: String(frame[2]), payload: frame[3] ?? null, raw: null };
    if (kind === 'result') return { ...base, kind, messageId, action: null, payload: frame[2] ?? null, raw: null };
    return { ...base, kind, messageId, action: null, payload: { code: frame[2], description: frame[3], details: frame[4] ?? {} }, raw: null };
  } catch {
    return { ...base, kind: 'invalid', messageId: null, action: null, payload: null, raw: entry.frame };
  }
}

export class StationMessageLog implements MessageTap {
  private readonly rings = new Map<string, Ring>();

  constructor(private readonly perStation: number) {}

  record(stationId: string, direction: MessageDirection, frame: string, at: Date): void {
    if (this.perStation <= 0) return;
    let ring = this.rings.get(stationId);
    if (!ring) this.rings.set(stationId, (ring = new Ring(this.perStation)));
    const text = frame.length > MAX_FRAME_CHARS ? `${frame.slice(0, MAX_FRAME_CHARS)}…` : frame;
    ring.push(direction, redactFrame(text), at);
  }

  forget(stationId: string): void {
    this.rings.delete(stationId);
  }

  /** Newest first. */
  read(stationId: string, filter: MessageFilter): LoggedMessage[] {
    const ring = this.rings.get(stationId);
    if (!ring) return [];
    const parsed = ring.ordered().map(parse);
    // A result answers the call with the same message id sent the other way.
    const callActions = new Map<string, string>();
    for (const m of parsed) {
      if (m.kind === 'call' && m.messageId && m.action) callActions.set(`${m.direction}:${m.messageId}`, m.action);
      else if (m.messageId && m.action === null) m.action = callActions.get(`${m.direction === 'in' ? 'out' : 'in'}:${m.messageId}`) ?? null;
    }
    const search = filter.search?.toLowerCase();
    const action = filter.action?.toLowerCase();
    const out: LoggedMessage[] = [];
    for (let i = parsed.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const m = parsed[i] as LoggedMessage;
      if (filter.after !== undefined && m.seq <= filter.after) break;
      if (filter.direction && m.direction !== filter.direction) continue;
      if (action && m.action?.toLowerCase() !== action) continue;
      if (search && !JSON.stringify([m.action, m.messageId, m.payload, m.raw]).toLowerCase().includes(search)) continue;
      out.push(m);
    }
    return out;
  }
}
