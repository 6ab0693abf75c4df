/** The reservations capability's storage port, named by intent. */
import type { Reservation, ReservationState } from './reservation.ts';

export interface ReservationFilter {
  state?: ReservationState;
  limit: number;
  offset: number;
}

export interface ReservationRepository {
  /** The next OCPP reservation id (unique across stations and nodes). */
  nextId(): Promise<number>;
  create(r: Reservation): Promise<void>;
  find(id: number): Promise<Reservation | null>;
  /** Writes `r` (version = expectedVersion + 1) only if the stored one is still at `expectedVersion`. */
  save(r: Reservation, expectedVersion: number): Promise<boolean>;
  /** A station's reservations, newest first. */
  listByStation(stationId: string, filter: ReservationFilter): Promise<{ items: Reservation[]; total: number }>;
  /** A station's requested and active reservations. */
  openOnStation(stationId: string): Promise<Reservation[]>;
  /** Marks every open reservation whose expiry is at or before `now` expired; returns them as written. */
  expireDue(now: Date, reason: string): Promise<Reservation[]>;
  /** Who owns a reservation: its tenant and station. */
  owner(id: number): Promise<{ tenantId: string; stationId: string } | null>;
}
