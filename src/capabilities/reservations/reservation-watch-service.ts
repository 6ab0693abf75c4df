/**
 * Follows what stations do on reserved EVSEs, from other capabilities' domain events (local scope:
 * the node holding the station's socket publishes them, so each is judged once):
 *
 * - a transaction that carries a reservation id, or the reserved token on the reserved EVSE, uses it;
 * - a transaction by another token on the reserved EVSE while the reservation is active violates it
 *   (recorded on the reservation and logged: the station should have refused the token);
 * - a reserved connector (or the station) becoming Faulted or Unavailable ends it.
 */
import type { Logger } from 'pino';
import type { DomainEvent, EventBus } from '../../cluster/event-bus.ts';
import { consume, end, endedByStatus, judgeTransaction, violate, type TransactionFacts } from './reservation.ts';
import type { ReservationRepository } from './reservation-repository.ts';
import type { ReservationService } from './reservation-service.ts';

/** Transactions judged, so a meter value does not cost a query; bounded (judging again is harmless). */
const MAX_REMEMBERED = 50_000;

export class ReservationWatch {
  private readonly log: Logger;
  /** Transactions already judged by their token, and by their reservation id. */
  private readonly judgedByToken = new Set<string>();
  private readonly judgedById = new Set<string>();
  private unsubscribe: (() => void) | null = null;
  /** Judgements under way (stop waits for them). */
  private readonly running = new Set<Promise<void>>();
  /** The last judgement queued per station. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly service: ReservationService,
    private readonly repo: ReservationRepository,
    private readonly events: EventBus,
    log: Logger,
  ) {
    this.log = log.child({ component: 'reservations' });
  }

  start(): void {
    this.unsubscribe = this.events.subscribe((event) => this.onEvent(event), {
      types: ['transaction.started', 'transaction.updated', 'transaction.ended', 'station.status-changed'],
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.idle();
  }

  /** Resolves when the judgements started so far are done. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private onEvent(event: DomainEvent): void {
    if (!('stationId' in event)) return;
    let work: (() => Promise<void>) | null = null;
    if (event.type === 'transaction.started' || event.type === 'transaction.updated' || event.type === 'transaction.ended') {
      const facts: TransactionFacts = { transactionId: event.transactionId, evseId: event.evseId, idToken: event.idToken ?? null, reservationId: event.reservationId ?? null };
      const ended = event.type === 'transaction.ended';
      work = () => this.onTransaction(event.stationId, facts, new Date(event.at)).finally(() => ended && this.forget(event.transactionId));
    } else if (event.type === 'station.status-changed') {
      work = () => this.onStatus(event.stationId, event.evseId, event.status, new Date(event.at));
    }
    if (work) this.enqueue(event.stationId, work, event.type);
  }

  /** A station's events are judged one after the other, in the order they were published. */
  private enqueue(stationId: string, work: () => Promise<void>, type: string): void {
    const previous = this.chains.get(stationId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => this.log.error({ err: error, stationId, type }, 'reservation check failed'));
    this.chains.set(stationId, next);
    this.running.add(next);
    void next.finally(() => {
      this.running.delete(next);
      if (this.chains.get(stationId) === next) this.chains.delete(stationId);
    });
  }

  private forget(transactionId: string): void {
    this.judgedByToken.delete(transactionId);
    this.judgedById.delete(transactionId);
  }

  private remember(set: Set<string>, transactionId: string): boolean {
    if (set.has(transactionId)) return false;
    if (set.size >= MAX_REMEMBERED) set.clear();
    set.add(transactionId);
    return true;
  }

  private async onTransaction(stationId: string, tx: TransactionFacts, at: Date): Promise<void> {
    const byId = tx.reservationId !== null && this.remember(this.judgedById, tx.transactionId);
    const byToken = tx.idToken !== null && this.remember(this.judgedByToken, tx.transactionId);
    if (!byId && !byToken) return;
    const open = await this.repo.openOnStation(stationId);
    const judgement = judgeTransaction(open, tx);
    let usedId = judgement.uses?.id ?? null;
    if (tx.reservationId !== null && usedId === null) {
      // Not open here: expired by the CSMS's clock (still usable), another station's, or unknown.
      const named = await this.repo.find(tx.reservationId);
      if (named && named.stationId === stationId) usedId = named.id;
      else this.log.warn({ stationId, transactionId: tx.transactionId, reservationId: tx.reservationId }, 'transaction names a reservation this station does not hold');
    }
    if (usedId !== null) {
      const used = await this.service.transition(usedId, (r) => consume(r, tx.transactionId, at));
      if (used) this.log.info({ stationId, reservationId: used.id, transactionId: tx.transactionId }, 'reservation used');
    }
    for (const reservation of judgement.violates) {
      const violation = { transactionId: tx.transactionId, evseId: tx.evseId, idToken: tx.idToken, at };
      const violated = await this.service.transition(reservation.id, (r) => violate(r, violation));
      if (violated) {
        this.log.warn({ stationId, reservationId: reservation.id, transactionId: tx.transactionId, evseId: tx.evseId }, 'a transaction by another token started on a reserved EVSE');
      }
    }
  }

  private async onStatus(stationId: string, evseId: number, status: string, at: Date): Promise<void> {
    if (status !== 'Faulted' && status !== 'Unavailable') return;
    for (const reservation of endedByStatus(await this.repo.openOnStation(stationId), { evseId, status })) {
      const ended = await this.service.transition(reservation.id, (r) => end(r, 'removed', `connector ${status}`, at));
      if (ended) this.log.info({ stationId, reservationId: ended.id, status }, 'reservation ended by the connector status');
    }
  }
}
