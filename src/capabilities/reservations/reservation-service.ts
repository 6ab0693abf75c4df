/**
 * Reservations shell: load -> decide (reservation.ts) -> save (compare-and-set on the version) ->
 * publish. A reservation goes to its station as a command of the commands capability (`reserve`,
 * `cancelReservation`), so it is queued durably and delivered like every other command; the
 * command's settlement moves the reservation. The station's own reports (ReservationStatusUpdate,
 * a transaction with the reservation id, connector statuses) and the expiry sweep end it.
 */
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import type { EventBus } from '../../cluster/event-bus.ts';
import type { AnyCommandInput, Command, SubmitOptions } from '../commands/index.ts';
import {
  checkRequest,
  end,
  holders,
  isOpen,
  newReservation,
  settleRequest,
  startRefusal,
  type CancelParams,
  type Decision,
  type Reservation,
  type ReservationRequest,
  type ReserveOutcome,
  type ReserveParams,
} from './reservation.ts';
import type { ReservationFilter, ReservationRepository } from './reservation-repository.ts';
import './reservation-events.ts';

/** What the service needs of the commands capability. */
export interface ReservationCommands {
  submit(stationId: string, input: AnyCommandInput, options?: SubmitOptions): Promise<Command>;
  waitForOutcome(id: string, waitSec: number): Promise<Command>;
}

/** What the service needs of a station: its tenant and its connectors' statuses. */
export interface ReservationStations {
  get(id: string): Promise<{ tenantId: string; evses: ReadonlyArray<{ id: number; connectors: ReadonlyArray<{ connectorId: number; status: string }> }> }>;
}

export interface ReservationServiceDeps {
  repo: ReservationRepository;
  commands: ReservationCommands;
  stations: ReservationStations;
  events: EventBus;
  clock: Clock;
  log: Logger;
}

/** How a station says a reservation ended without a transaction. */
export type StationEnd = 'expired' | 'removed';

/** Writes that lost a race are decided again from a fresh read, this many times. */
const MAX_ATTEMPTS = 3;
/** The longest a reserve command waits for its station when the reservation runs longer (the commands' own cap). */
const MAX_COMMAND_EXPIRY_SEC = 30 * 24 * 3600;

export class ReservationService {
  private readonly log: Logger;
  /** A running expiry sweep: reads wait for it, so the view is never behind a sweep that started. */
  sweeping: Promise<unknown> | null = null;

  constructor(private readonly deps: ReservationServiceDeps) {
    this.log = deps.log.child({ component: 'reservations' });
  }

  now(): Date {
    return this.deps.clock();
  }

  // --- REST use cases ----------------------------------------------------------------

  /** Creates the reservation and queues its reserve command; with `waitSec`, waits for the station's answer. */
  async create(stationId: string, request: ReservationRequest, waitSec = 0): Promise<{ reservation: Reservation; command: Command }> {
    const untilExpiry = Math.ceil((Date.parse(request.expiresAt) - this.now().getTime()) / 1000);
    // A reserve delivered after the reservation's end would be refused or meaningless: it expires with it.
    const expiresInSec = Number.isFinite(untilExpiry) && untilExpiry > 0 ? Math.min(untilExpiry, MAX_COMMAND_EXPIRY_SEC) : undefined;
    let command = await this.deps.commands.submit(stationId, { type: 'reserve', params: request }, { expiresInSec });
    const reservationId = (command.params as ReserveParams).reservationId as number;
    await this.transition(reservationId, (r) => (r.commandId ? { ok: false, reason: 'linked' } : { ok: true, reservation: { ...r, commandId: command.id, version: r.version + 1 } }));
    if (waitSec > 0) command = await this.deps.commands.waitForOutcome(command.id, waitSec);
    return { reservation: await this.get(reservationId), command };
  }

  /** Queues the cancelReservation command of an open reservation; with `waitSec`, waits for the answer. */
  async cancel(id: number, waitSec = 0): Promise<{ reservation: Reservation; command: Command }> {
    const reservation = await this.get(id);
    let command = await this.deps.commands.submit(reservation.stationId, { type: 'cancelReservation', params: { reservationId: id } });
    if (waitSec > 0) command = await this.deps.commands.waitForOutcome(command.id, waitSec);
    return { reservation: await this.get(id), command };
  }

  async get(id: number): Promise<Reservation> {
    await this.sweeping;
    const reservation = await this.deps.repo.find(id);
    if (!reservation) throw new CodedError('not-found', `reservation ${id} does not exist`);
    return reservation;
  }

  /** A station's reservations, and which reservation holds each of its Reserved connectors. */
  async list(stationId: string, filter: ReservationFilter) {
    await this.sweeping;
    const station = await this.deps.stations.get(stationId);
    const [page, open] = await Promise.all([this.deps.repo.listByStation(stationId, filter), this.deps.repo.openOnStation(stationId)]);
    const connectors = station.evses.flatMap((evse) => evse.connectors.map((c) => ({ evseId: evse.id, connectorId: c.connectorId, status: c.status })));
    return { ...page, reservedConnectors: holders(open, connectors) };
  }

  /**
   * For the commands capability's remote start (a guard it consults before queueing a start): why a
   * start by this token on this EVSE must be refused, or null.
   */
  async startRefusal(stationId: string, start: { evseId?: number; idToken: string }): Promise<string | null> {
    if (start.evseId === undefined) return null;
    return startRefusal(await this.deps.repo.openOnStation(stationId), start);
  }

  owner(id: number): Promise<{ tenantId: string; stationId: string } | null> {
    return this.deps.repo.owner(id);
  }

  // --- The command kinds (called by the commands capability) ---------------------------

  checkReserve(params: ReserveParams): string | null {
    return checkRequest(params, this.now());
  }

  /** At submission: the reservation row, with the id the CSMS assigns, before the command is queued. */
  async prepareReserve(stationId: string, params: ReserveParams): Promise<ReserveParams> {
    const { reservationId: _ignored, ...request } = params;
    const station = await this.deps.stations.get(stationId);
    const reservation = newReservation(await this.deps.repo.nextId(), stationId, station.tenantId, request, this.now());
    await this.deps.repo.create(reservation);
    this.log.info({ stationId, reservationId: reservation.id, evseId: reservation.evseId }, 'reservation requested');
    this.published(reservation);
    return { ...request, reservationId: reservation.id };
  }

  async settleReserve(command: Command): Promise<void> {
    const id = (command.params as ReserveParams).reservationId;
    if (id === undefined) return;
    const outcome: ReserveOutcome =
      command.state === 'expired'
        ? { kind: 'expired' }
        : command.state === 'failed'
          ? { kind: 'failed', error: command.error ?? 'failed' }
          : { kind: 'answered', accepted: command.state === 'accepted', status: command.response?.status ?? 'Unknown', info: reasonText(command) };
    const settled = await this.transition(id, (r) => settleRequest(r, outcome, command.id, this.now()));
    if (settled) this.log.info({ stationId: command.stationId, reservationId: id, state: settled.state, reason: settled.reason }, 'reservation answered');
  }

  /** Only an open reservation of this station can be cancelled. */
  async prepareCancel(stationId: string, params: CancelParams): Promise<CancelParams> {
    const reservation = await this.deps.repo.find(params.reservationId);
    if (!reservation || reservation.stationId !== stationId) throw new CodedError('not-found', `reservation ${params.reservationId} does not exist on station ${stationId}`);
    if (!isOpen(reservation)) throw new CodedError('conflict', `reservation ${reservation.id} is ${reservation.state}: there is nothing to cancel`);
    return { reservationId: reservation.id };
  }

  /**
   * Accepted: cancelled. Rejected: the station holds no reservation with this id (it ended there
   * unseen), so it no longer holds the EVSE either: removed, with the station's words.
   */
  async settleCancel(command: Command): Promise<void> {
    const id = (command.params as CancelParams).reservationId;
    if (command.state !== 'accepted' && command.state !== 'rejected') return;
    const at = this.now();
    const done =
      command.state === 'accepted'
        ? await this.transition(id, (r) => end(r, 'cancelled', null, at))
        : await this.transition(id, (r) => end(r, 'removed', `CancelReservation ${command.response?.status ?? 'Rejected'}: the station holds no such reservation`, at));
    if (done) this.log.info({ stationId: command.stationId, reservationId: id, state: done.state }, 'reservation cancel answered');
  }

  // --- The station's reports -----------------------------------------------------------

  /** A ReservationStatusUpdate: an unknown id, or another station's, changes nothing and is logged. */
  async endedByStation(stationId: string, id: number, how: StationEnd, status: string, at: Date, log: Logger): Promise<void> {
    const reservation = await this.deps.repo.find(id);
    if (!reservation || reservation.stationId !== stationId) {
      log.warn({ reservationId: id, status, knownOn: reservation ? 'another station' : null }, 'reservation status update for a reservation this station does not hold; ignored');
      return;
    }
    const done = await this.transition(id, (r) => end(r, how, status, at));
    if (!done) log.info({ reservationId: id, status, state: reservation.state }, 'reservation status update for a reservation already ended');
  }

  /**
   * Applies a decision from a fresh read and stores it over the version it was decided from; a
   * write that lost a race is decided again. The reservation as written, or null when the decision
   * did not apply.
   */
  async transition(id: number, decide: (r: Reservation) => Decision): Promise<Reservation | null> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.deps.repo.find(id);
      if (!current) return null;
      const decision = decide(current);
      if (!decision.ok) {
        this.log.debug({ reservationId: id, reason: decision.reason }, 'reservation transition does not apply');
        return null;
      }
      if (await this.deps.repo.save(decision.reservation, current.version)) {
        const written = { ...decision.reservation, version: current.version + 1 };
        if (written.state !== current.state || written.violations.length !== current.violations.length) this.published(written);
        return written;
      }
    }
    this.log.warn({ reservationId: id }, 'reservation kept changing; transition given up');
    return null;
  }

  published(r: Reservation): void {
    this.deps.events.publish({ type: 'reservation.changed', stationId: r.stationId, at: this.now().toISOString(), reservationId: r.id, state: r.state, evseId: r.evseId });
  }
}

function reasonText(command: Command): string | undefined {
  const reason = command.response?.reason;
  if (!reason) return undefined;
  return reason.info ? `${reason.code} (${reason.info})` : reason.code;
}
