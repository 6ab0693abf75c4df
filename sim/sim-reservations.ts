/**
 * Reservations on the simulated station: ReserveNow and CancelReservation answered from a small
 * table of held reservations, a ReservationStatusUpdate to send (2.x), and transaction starts that
 * carry a reservation id (1.6 StartTransaction, 2.x TransactionEvent Started). Install with
 * `sim.installReservations(station)` or use `handlers()` with `station.handle(action, handler)`.
 */
import type { SimCallHandler } from './sim-rpc-connection.ts';
import type { SimOcppVersion, SimPayload } from './sim-types.ts';

/** What the reservation behaviour needs of its station (SimStation has it; kept narrow so the station can install it). */
export interface SimReservingStation {
  readonly version: SimOcppVersion;
  handle(action: string, handler: SimCallHandler): void;
  call(action: string, payload: SimPayload): Promise<SimPayload>;
}

/** The answer the station gives to the next ReserveNow (Accepted, Occupied, Faulted, Rejected, Unavailable). */
export type SimReserveAnswer = 'Accepted' | 'Occupied' | 'Faulted' | 'Rejected' | 'Unavailable';

export interface SimHeldReservation {
  id: number;
  /** 1.6 connectorId (0 = any); 2.x evseId (absent = any, kept as 0). */
  evseId: number;
  idToken: string;
  expiresAt: string;
}

const is16 = (station: SimReservingStation) => station.version === '1.6';

export class SimReservations {
  /** What ReserveNow answers; Accepted stores the reservation. */
  answer: SimReserveAnswer = 'Accepted';
  readonly held = new Map<number, SimHeldReservation>();

  constructor(private readonly station: SimReservingStation) {}

  /** The handler table to install on the station. */
  handlers(): Record<string, SimCallHandler> {
    return {
      ReserveNow: (payload: SimPayload) => {
        const v16 = is16(this.station);
        const id = (v16 ? payload.reservationId : payload.id) as number;
        // A new reservation with an id the station holds replaces it.
        if (this.answer === 'Accepted') {
          const idToken = v16 ? (payload.idTag as string) : ((payload.idToken as { idToken: string }).idToken);
          this.held.set(id, {
            id,
            evseId: ((v16 ? payload.connectorId : payload.evseId) as number | undefined) ?? 0,
            idToken,
            expiresAt: (v16 ? payload.expiryDate : payload.expiryDateTime) as string,
          });
        }
        return { status: this.answer };
      },
      CancelReservation: (payload: SimPayload) => {
        const id = payload.reservationId as number;
        return { status: this.held.delete(id) ? 'Accepted' : 'Rejected' };
      },
    };
  }

  install(): this {
    for (const [action, handler] of Object.entries(this.handlers())) this.station.handle(action, handler);
    return this;
  }

  /** 2.x: tells the CSMS a reservation ended (Expired, Removed; 2.1 also NoTransaction) and forgets it. */
  async statusUpdate(reservationId: number, status: 'Expired' | 'Removed' | 'NoTransaction'): Promise<SimPayload> {
    this.held.delete(reservationId);
    return this.station.call('ReservationStatusUpdate', { reservationId, reservationUpdateStatus: status });
  }

  /**
   * Starts a transaction for a reservation (or, without `reservationId`, any transaction) with the raw
   * version message: 1.6 StartTransaction, 2.x TransactionEvent Started. Returns the transaction id
   * (1.6: the CSMS's; 2.x: the one generated here).
   */
  async startTransaction(o: { evseId: number; idToken: string; reservationId?: number; meterStartWh?: number }): Promise<string> {
    const timestamp = new Date().toISOString();
    if (o.reservationId !== undefined) this.held.delete(o.reservationId);
    if (is16(this.station)) {
      const answer = await this.station.call('StartTransaction', {
        connectorId: o.evseId,
        idTag: o.idToken,
        meterStart: o.meterStartWh ?? 0,
        timestamp,
        ...(o.reservationId !== undefined ? { reservationId: o.reservationId } : {}),
      });
      return String(answer.transactionId);
    }
    const transactionId = `sim-res-${Math.random().toString(36).slice(2, 10)}`;
    await this.station.call('TransactionEvent', {
      eventType: 'Started',
      timestamp,
      triggerReason: 'Authorized',
      seqNo: 0,
      transactionInfo: { transactionId, chargingState: 'EVConnected' },
      evse: { id: o.evseId, connectorId: 1 },
      idToken: { idToken: o.idToken, type: 'ISO14443' },
      ...(o.reservationId !== undefined ? { reservationId: o.reservationId } : {}),
      meterValue: [{ timestamp, sampledValue: [{ value: o.meterStartWh ?? 0, measurand: 'Energy.Active.Import.Register' }] }],
    });
    return transactionId;
  }
}

/** Convenience: the reservation behaviour installed on a station. */
export function installReservations(station: SimReservingStation): SimReservations {
  return new SimReservations(station).install();
}
