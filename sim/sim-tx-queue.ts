/**
 * The outbox for transaction-related messages (1.6 §3.7 "Transaction-related messages": StartTransaction,
 * StopTransaction and transaction MeterValues; 2.0.1 E04 / E13: TransactionEvent). They are delivered in
 * the order they were created, one at a time; while the station cannot send they stay queued and are
 * replayed after the next Accepted boot. Non-transaction messages never pass through here.
 *
 * 1.6: a session started offline has no CSMS transactionId yet. Its later messages carry a `resolve`
 * hook that fills the id in just before sending, once the queued StartTransaction has been answered;
 * a message whose id is still unknown at its turn (only possible after reordering) waits behind its
 * StartTransaction (`opensTx`).
 */
import { SimError, type SimPayload } from './sim-types.ts';

export interface SimTxEntry {
  action: string;
  /** Payload as created; 1.6 messages of an offline session lack the transactionId until resolved. */
  payload: SimPayload;
  /** Station-local key of the transaction the message belongs to. */
  txKey: string;
  /** The message whose answer names the transaction (1.6 StartTransaction). */
  opensTx?: boolean;
  /** Late facts filled in just before sending; 'wait' when they are not known yet. */
  resolve?: () => SimPayload | 'wait';
  /** Applied to the CSMS's answer whenever it arrives (also after an offline replay). */
  onAnswer?: (response: SimPayload) => void;
}

/** What push() reports: answered, refused (CALLERROR / timeout: dropped), or left in the queue. */
export type SimTxOutcome =
  | { kind: 'answered'; response: SimPayload }
  | { kind: 'failed'; error: Error }
  | { kind: 'queued' };

export type SimReplayOrder = 'as-is' | 'reversed' | 'duplicated';

/** A queued message as tests see it (payload with the transactionId filled in when already known). */
export interface SimQueuedMessage {
  action: string;
  payload: SimPayload;
  txKey: string;
}

interface Item extends SimTxEntry {
  waiter?: ((outcome: SimTxOutcome) => void) | undefined;
  deferred?: boolean;
}

/** Codes meaning "could not send right now": keep the message and retry after the next Accepted boot. */
const RETRY_LATER = new Set(['NotConnected', 'ConnectionClosed', 'NotAccepted']);

export class SimTxQueue {
  private readonly items: Item[] = [];
  private readonly send: (action: string, payload: SimPayload) => Promise<SimPayload>;
  private readonly canSend: () => boolean;
  private readonly log: (line: string) => void;
  private running: Promise<void> | undefined;
  private held = false;
  private drainWaiters: Array<() => void> = [];

  constructor(options: {
    send: (action: string, payload: SimPayload) => Promise<SimPayload>;
    canSend: () => boolean;
    log: (line: string) => void;
  }) {
    this.send = options.send;
    this.canSend = options.canSend;
    this.log = options.log;
  }

  /** Messages not yet answered (including the one in flight). */
  get size(): number {
    return this.items.length;
  }

  /** Whether messages of this transaction are still waiting (2.0.1 E14 messagesInQueue). */
  has(txKey?: string): boolean {
    return txKey === undefined ? this.items.length > 0 : this.items.some((i) => i.txKey === txKey);
  }

  snapshot(): SimQueuedMessage[] {
    return this.items.map((i) => {
      const resolved = i.resolve?.();
      const payload = resolved && resolved !== 'wait' ? resolved : i.payload;
      return { action: i.action, payload: structuredClone(payload), txKey: i.txKey };
    });
  }

  /**
   * Append a message. Resolves with the answer when it is delivered now, or with {kind: 'queued'} as
   * soon as it is clear that it has to wait (offline, held, or the connection broke while sending).
   */
  push(entry: SimTxEntry): Promise<SimTxOutcome> {
    return new Promise((resolve) => {
      this.items.push({ ...entry, waiter: resolve });
      if (this.held || !this.canSend()) this.release(this.items.at(-1)!, { kind: 'queued' });
      this.kick();
    });
  }

  /** Forget the waiting messages of these transactions (a station that lost them); the one in flight stays. */
  discard(txKeys: ReadonlySet<string>): void {
    const inFlight = this.running ? this.items[0] : undefined;
    for (const item of [...this.items]) {
      if (item === inFlight || !txKeys.has(item.txKey)) continue;
      this.remove(item);
      this.release(item, { kind: 'failed', error: new SimError('Lost', `${item.action}: the station lost its transaction`) });
    }
    this.notifyIfEmpty();
  }

  /** Pause delivery (e.g. to reorder before replaying); pushes still queue. */
  hold(): void {
    this.held = true;
  }

  /** Resume delivery, send what can be sent and resolve once the queue is empty. */
  async drain(): Promise<void> {
    this.held = false;
    if (this.items.length === 0) return;
    const empty = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.kick();
    await empty;
  }

  /** Wait until no message is in flight. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Rearrange the waiting messages to test a CSMS's idempotence: 'reversed' sends newest first,
   * 'duplicated' sends every message twice in a row. Call while held and idle.
   */
  reorder(order: SimReplayOrder): void {
    if (order === 'reversed') this.items.reverse();
    if (order === 'duplicated') {
      const copies = this.items.flatMap((i) => [i, { ...i, payload: structuredClone(i.payload), waiter: undefined }]);
      this.items.splice(0, this.items.length, ...copies);
    }
  }

  /** Start delivering if possible; safe to call any time. */
  kick(): void {
    if (this.running || this.held || this.items.length === 0 || !this.canSend()) return;
    this.running = this.run().then((connectionLost) => {
      this.running = undefined;
      // Something may have been pushed while the loop was finishing.
      if (!connectionLost) this.kick();
    });
  }

  /** Deliver until empty, held or unable to send; true when it stopped because the connection went away. */
  private async run(): Promise<boolean> {
    while (this.items.length > 0 && !this.held && this.canSend()) {
      const item = this.items[0]!;
      const payload = item.resolve ? item.resolve() : item.payload;
      if (payload === 'wait') {
        this.defer(item);
        continue;
      }
      let response: SimPayload;
      try {
        response = await this.send(item.action, payload);
      } catch (err) {
        if (RETRY_LATER.has((err as SimError).code)) {
          // Connection lost mid-way: the message stays first in line for the next connection.
          this.release(item, { kind: 'queued' });
          return true;
        }
        this.remove(item);
        this.log(`${item.action} refused by the CSMS and dropped: ${(err as Error).message}`);
        this.release(item, { kind: 'failed', error: err as Error });
        continue;
      }
      this.remove(item);
      try {
        item.onAnswer?.(response);
      } catch (err) {
        this.log(`handling the ${item.action} answer failed: ${(err as Error).message}`);
      }
      this.release(item, { kind: 'answered', response });
    }
    this.notifyIfEmpty();
    return false;
  }

  /** 1.6: put a message whose transactionId is unknown behind its StartTransaction, or drop it if none is queued. */
  private defer(item: Item): void {
    this.remove(item);
    const opener = this.items.findIndex((i) => i.opensTx && i.txKey === item.txKey);
    if (opener < 0) {
      this.log(`${item.action} dropped: its transaction never got an id from the CSMS`);
      this.release(item, { kind: 'failed', error: new SimError('NoTransactionId', `${item.action}: transaction has no id`) });
      return;
    }
    let at = opener + 1;
    while (this.items[at]?.deferred && this.items[at]?.txKey === item.txKey) at++;
    item.deferred = true;
    this.items.splice(at, 0, item);
  }

  private remove(item: Item): void {
    const at = this.items.indexOf(item);
    if (at >= 0) this.items.splice(at, 1);
  }

  private release(item: Item, outcome: SimTxOutcome): void {
    const waiter = item.waiter;
    item.waiter = undefined;
    waiter?.(outcome);
  }

  private notifyIfEmpty(): void {
    if (this.items.length > 0) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}
