/** Helpers shared by the reservation scenarios: a simulated station with reservations, REST shortcuts. */
import { SimStation } from '../../sim/index.ts';
import { installReservations, type SimReservations } from '../../sim/sim-reservations.ts';
import type { OcppVersion } from '../../src/kernel/protocol-version.ts';
import { eventually, type TestServer } from '../support/harness.ts';

export interface ReservingStation {
  station: SimStation;
  reservations: SimReservations;
  /** Every CSMS-initiated CALL the station received, in order. */
  calls: Array<{ action: string; payload: Record<string, unknown> }>;
}

export async function reservingStation(server: TestServer, id: string, version: OcppVersion, evses = 2): Promise<ReservingStation> {
  const created = await server.api('POST', '/api/v1/stations', { id });
  if (created.status !== 201) throw new Error(`station ${id}: ${JSON.stringify(created.body)}`);
  const station = new SimStation({ url: server.ocppUrl, id, version, evses, heartbeats: false, reconnect: false, callTimeoutMs: 5000 });
  const calls: ReservingStation['calls'] = [];
  station.on('call', (action: string, payload: Record<string, unknown>) => calls.push({ action, payload }));
  const reservations = installReservations(station);
  await station.start();
  await eventually(() => server.app.cluster.locate(id), `${id} connected`);
  return { station, reservations, calls };
}

export const inMinutes = (minutes: number, from = Date.now()) => new Date(from + minutes * 60_000).toISOString();

export async function reserve(server: TestServer, stationId: string, body: Record<string, unknown>, wait = 5) {
  return server.api('POST', `/api/v1/stations/${encodeURIComponent(stationId)}/reservations?wait=${wait}`, body);
}

export async function reservation(server: TestServer, id: number) {
  const answer = await server.api('GET', `/api/v1/reservations/${id}`);
  if (answer.status !== 200) throw new Error(`reservation ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Polls until the reservation is in `state`. */
export function reservationIn(server: TestServer, id: number, state: string, timeoutMs = 5000) {
  return eventually(async () => {
    const r = await reservation(server, id);
    return r.state === state ? r : null;
  }, `reservation ${id} to be ${state}`, timeoutMs);
}
